internal import Foundation

/// Reading the documents commands are given: files by path, or standard input for `-`.
enum DocumentFiles {
    static func read(_ path: String) -> InputDocument {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return InputDocument(name: path, readError: "no such file")
            }
            guard !isDirectory.boolValue else { return InputDocument(name: path, readError: "is a directory") }
            data = FileManager.default.contents(atPath: path)
        }
        let name = path == "-" ? "<stdin>" : path
        guard let data else { return InputDocument(name: name, readError: "permission denied or unreadable") }
        guard let text = String(data: data, encoding: .utf8) else {
            return InputDocument(name: name, readError: "not UTF-8 text")
        }
        return InputDocument(name: name, text: text)
    }

    static let standardConsole = Console(
        out: { line in print(line) },
        err: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    )
}
