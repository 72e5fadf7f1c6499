import Foundation

extension Theme {
    /// Themes compiled into the binary (from `themes/*.yaml`).
    static let builtinFiles: [(name: String, bytes: [UInt8])] = [
        ("default", PackageResources.default_yaml),
        ("nord", PackageResources.nord_yaml),
    ]

    public static var builtinNames: [String] { builtinFiles.map(\.name) }

    /// A built-in theme by name, or a theme file by path.
    public static func named(_ nameOrPath: String, warnings: inout [String]) throws -> Theme {
        if let file = builtinFiles.first(where: { $0.name == nameOrPath }) {
            return try load(
                yaml: String(decoding: file.bytes, as: UTF8.self), file: "themes/\(file.name).yaml", warnings: &warnings
            )
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml")
            || FileManager.default.fileExists(atPath: nameOrPath)
        {
            return try load(file: nameOrPath, warnings: &warnings)
        }
        throw LoadError(
            file: nameOrPath,
            message:
                "no such theme (built-in themes: \(builtinNames.joined(separator: ", ")); or give a path to a theme file)"
        )
    }
}
