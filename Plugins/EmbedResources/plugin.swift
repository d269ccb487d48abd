import Foundation
import PackagePlugin

/// Builds the text files a target carries into the binary: the default policy and the built-in
/// overlays into ClearanceCore,
/// the OpenAPI document and the web templates and assets into ClearanceServer. The files stay
/// where people edit them (`policies/`, `docs/`, `web/`); the Swift that holds them is written
/// into the build directory whenever one of them changes.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let tool = try context.tool(named: "EmbedResourcesTool").url
        let root = context.package.directoryURL
        let out = context.pluginWorkDirectoryURL
        func file(_ input: String, type: String, property: String, access: String, name: String) -> Command {
            let source = root.appending(path: input)
            let output = out.appending(path: name)
            return .buildCommand(displayName: "Embedding \(input)", executable: tool,
                                 arguments: ["file", output.path(), type, property, access, source.path()],
                                 inputFiles: [source], outputFiles: [output])
        }
        switch target.name {
        case "ClearanceCore":
            let overlays = root.appending(path: "policies/overlays")
            let names = try FileManager.default.contentsOfDirectory(atPath: overlays.path())
            let inputs = names.filter { $0.hasSuffix(".yaml") }.sorted().map { overlays.appending(path: $0) }
            let output = out.appending(path: "BuiltInOverlays+Embedded.swift")
            return [
                file("policies/netflix-genai-2025.yaml", type: "Policy", property: "defaultPolicyText", access: "public",
                     name: "DefaultPolicy+Embedded.swift"),
                .buildCommand(displayName: "Embedding policies/overlays", executable: tool,
                              arguments: ["tree", output.path(), "Policy", "builtInOverlayTexts", "public", overlays.path()]
                                  + inputs.map { $0.path() },
                              inputFiles: inputs, outputFiles: [output]),
            ]
        case "ClearanceServer":
            let web = root.appending(path: "web")
            var inputs: [URL] = []
            for folder in ["templates", "assets"] {
                let directory = web.appending(path: folder)
                let names = try FileManager.default.contentsOfDirectory(atPath: directory.path())
                inputs += names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appending(path: $0) }
            }
            let output = out.appending(path: "WebResources+Embedded.swift")
            return [
                file("docs/openapi.yaml", type: "OpenAPIDocument", property: "embeddedText", access: "internal",
                     name: "OpenAPIDocument+Embedded.swift"),
                .buildCommand(displayName: "Embedding web/templates and web/assets", executable: tool,
                              arguments: ["tree", output.path(), "WebResources", "embedded", "public", web.path()] + inputs.map { $0.path() },
                              inputFiles: inputs, outputFiles: [output]),
            ]
        default:
            return []
        }
    }
}
