import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file read whole, or why it could not be: "cannot read the file" alone left the user to guess between a
/// wrong path, a directory and a permission.
public enum FileContents {
    /// The bytes of the file at `path`, or the reason it cannot be read, as the system says it
    /// ("No such file or directory", "Permission denied", "Is a directory").
    public static func read(_ path: String) -> Result<Data, Failure> {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return .failure(Failure(reason: String(cString: strerror(EISDIR))))
        }
        if let data = FileManager.default.contents(atPath: path) { return .success(data) }
        let descriptor = open(path, O_RDONLY)
        let reason = descriptor < 0 ? String(cString: strerror(errno)) : "it could not be read to the end"
        if descriptor >= 0 { close(descriptor) }
        return .failure(Failure(reason: reason))
    }

    public struct Failure: Error, CustomStringConvertible {
        public let reason: String
        /// "cannot read the file (No such file or directory)"
        public var description: String { "cannot read the file (\(reason))" }
    }
}
