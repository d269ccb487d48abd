// Writes text files into a Swift source file as raw string literals, so `clearance` carries its
// default policy, OpenAPI document and web pages without a resource bundle. Run by the
// EmbedResources build-tool plugin at build time; nothing it writes is kept in git.
//
//   EmbedResourcesTool file OUTPUT TYPE PROPERTY ACCESS INPUT
//   EmbedResourcesTool tree OUTPUT TYPE PROPERTY ACCESS ROOT INPUT...
//
// `file` gives `TYPE.PROPERTY` the text of INPUT; `tree` gives it a dictionary of every INPUT's
// text keyed by its path under ROOT. ACCESS is `public` or `internal`.
import Foundation

/// A raw string literal holding `text` exactly: its delimiter has more `#` than any run of `#`
/// that follows a quote in the text, so nothing in the text can end it.
func literal(_ text: String) -> String {
    var longest = 0
    var run = -1
    for character in text {
        if character == "\"" {
            run = 0
        } else if character == "#", run >= 0 {
            run += 1
            longest = max(longest, run)
        } else {
            run = -1
        }
    }
    let hashes = String(repeating: "#", count: longest + 1)
    // A multi-line literal drops the line break before its closing quotes; add one to keep the file's own.
    return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
}

func read(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("EmbedResourcesTool: cannot read \(path) as UTF-8 text\n".utf8))
        exit(1)
    }
    return text
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 6, ["file", "tree"].contains(arguments[0]) else {
    FileHandle.standardError.write(Data("usage: EmbedResourcesTool file|tree OUTPUT TYPE PROPERTY ACCESS INPUT...\n".utf8))
    exit(2)
}
let (mode, output, type, property, access) = (arguments[0], arguments[1], arguments[2], arguments[3], arguments[4])
let modifier = access == "public" ? "public " : ""
var source = "// Written at build time by the EmbedResources plugin. Not kept in git.\n\nextension \(type) {\n"
if mode == "file" {
    source += "    \(modifier)static let \(property) = \(literal(read(arguments[5])))\n"
} else {
    let root = URL(fileURLWithPath: arguments[5]).standardizedFileURL.path + "/"
    source += "    \(modifier)static let \(property): [String: String] = [\n"
    for path in arguments.dropFirst(6).sorted() {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        guard full.hasPrefix(root) else {
            FileHandle.standardError.write(Data("EmbedResourcesTool: \(path) is not under \(root)\n".utf8))
            exit(1)
        }
        source += "        \"\(full.dropFirst(root.count))\": \(literal(read(path))),\n"
    }
    source += "    ]\n"
}
source += "}\n"
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("EmbedResourcesTool: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
