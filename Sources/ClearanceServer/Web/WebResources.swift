internal import Foundation

/// The web pages' templates and assets. The EmbedResources build plugin writes `embedded` from the
/// files under `web/` at build time; with `--web-root` they are read from disk instead, afresh on
/// every request, so a page can be worked on without rebuilding.
public enum WebResources {
    static let folders = ["templates", "assets"]

    /// Every template and asset by its path under `web/`: from `root` when given, else as built in.
    static func files(root: String?) -> [String: String] {
        guard let root else { return embedded }
        var files: [String: String] = [:]
        for folder in folders {
            let directory = URL(fileURLWithPath: root).appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where !name.hasPrefix(".") {
                if let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) {
                    files["\(folder)/\(name)"] = text
                }
            }
        }
        return files
    }

    /// One asset by its file name (no folders: a name with a slash is never found).
    static func asset(_ name: String, root: String?) -> String? {
        guard !name.contains("/"), !name.hasPrefix(".") else { return nil }
        guard let root else { return embedded["assets/" + name] }
        return try? String(contentsOf: URL(fileURLWithPath: root).appendingPathComponent("assets").appendingPathComponent(name),
                           encoding: .utf8)
    }
}
