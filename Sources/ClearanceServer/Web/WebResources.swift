/// The web pages' templates and assets. `scripts/embed-resources` writes `embedded` from the files
/// under `web/`; a test fails when the two drift apart.
public enum WebResources {
    static func asset(_ name: String) -> String? {
        embedded["assets/" + name]
    }
}
