import Foundation

extension CredentialSource {
    /// The bytes of the file or the inline data. The error is the cause alone ("no such file"),
    /// for a sentence that names the field and path.
    func contents() throws(FileProblem) -> [UInt8] {
        switch self {
        case .data(let secret): return secret.bytes
        case .file(let path): return try FileProblem.contents(of: path)
        }
    }

    /// How a message names it: `client-key /etc/k/key.pem` or `client-key-data`.
    func named(_ field: String) -> String {
        switch self {
        case .file(let path): "\(field) \(path)"
        case .data: "\(field)-data"
        }
    }
}

/// Why a file could not be read, in a few words.
struct FileProblem: Error, Sendable, CustomStringConvertible {
    var description: String

    static func contents(of path: String) throws(FileProblem) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileProblem(errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileProblem(errno: errno)
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            // Credentials are small; a huge file is a wrong path, not a certificate.
            if bytes.count > 16 << 20 { throw FileProblem(description: "larger than 16 MiB") }
        }
    }

    init(description: String) { self.description = description }

    init(errno code: Int32) {
        switch code {
        case ENOENT: description = "no such file"
        case EACCES, EPERM: description = "permission denied"
        case EISDIR: description = "it is a folder"
        default: description = String(cString: strerror(code)).lowercased()
        }
    }
}
