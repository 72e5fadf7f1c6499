import Foundation
import TestSupport

/// A tmux server of our own (private socket) running one program in a pane of a fixed size,
/// driven as a person would: send keys, read the screen.
final class TmuxSession {
    let socket: String
    let name = "kg"

    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        socket = "kubeglass-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var env = ""
        for (k, v) in environment { env += "\(k)=\(TmuxSession.quote(v)) " }
        try tmux([
            "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
            "env \(env)\(command); echo KUBEGLASS_EXITED=$?; sleep 600",
        ])
    }

    /// tmux 3.3a answers `kill-server` yet keeps running here (its pane's `sleep 600` with it);
    /// killing the session ends the server, as its last session is gone.
    deinit {
        _ = try? tmux(["kill-session", "-t", name])
        _ = try? tmux(["kill-server"])
    }

    /// The visible screen, one string per row.
    func capture() throws -> [String] {
        try tmux(["capture-pane", "-p", "-t", name]).components(separatedBy: "\n")
    }

    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    func format(_ f: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, f]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds, or fails after `timeout` seconds with the last screen.
    /// Async, sleeping between looks: a test blocked in `usleep` holds one of the few threads every
    /// async test shares, and two such waits starved the others for minutes on a 2-core machine.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 60, _ condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = try capture()
            if condition(last) { return last }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        // A look at the deadline itself: a busy machine may have resumed this task only after it.
        last = try capture()
        if condition(last) { return last }
        throw TmuxError(
            message: "timed out after \(timeout)s waiting for \(what); the screen was:\n" + last.joined(separator: "\n")
        )
    }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let (status, text) = try spawn(["tmux", "-L", socket, "-f", "/dev/null"] + args, timeout: 30)
        guard status == 0 else { throw TmuxError(message: "tmux \(args.joined(separator: " ")) failed: \(text)") }
        return text
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The kubeglass binary `swift test` built next to the test bundle (or $KUBEGLASS_BIN).
func kubeglassBinary() throws -> String {
    if let env = ProcessInfo.processInfo.environment["KUBEGLASS_BIN"] { return env }
    var candidates: [URL] = []
    let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
    candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("kubeglass"))
    // Linux: …/.build/debug/kubeglassPackageTests.xctest is a file beside the binary.
    var dir = argv0.deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("kubeglass"))
        dir = dir.deletingLastPathComponent()
    }
    candidates.append(RepositoryFiles.url(".build/debug/kubeglass"))
    for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) && !c.hasDirectoryPath {
        return c.path
    }
    throw TmuxError(
        message: "cannot find the kubeglass binary (looked in \(candidates.map(\.path))); set KUBEGLASS_BIN")
}
