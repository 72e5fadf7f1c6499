import Foundation

// Test helpers that start programs. Foundation's Process is avoided on purpose: on Linux its
// waitUntilExit can hang when a child daemonizes or when several tests spawn at once.

public struct SpawnError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a command to its end and returns its exit status and output (stdout and stderr).
/// posix_spawn + waitpid, not Foundation's Process: `tmux new-session` forks a server that
/// inherits Process' exit-monitoring descriptor, and `waitUntilExit` then never returns.
///
/// A command still running after `timeout` seconds is killed with its process group (what it started and
/// did not detach) and reported as status 137, its output ending in a line that says so: one command that
/// hangs fails its test instead of holding a thread of the test pool, and with it the whole run, for good.
public func spawn(_ args: [String], timeout: Double = 300) throws -> (status: Int32, output: String) {
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("kg-spawn-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: outPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Its own process group, so that a timeout ends what it started too.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    let argv = (["/usr/bin/env"] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
    guard rc == 0 else { throw SpawnError(message: "cannot run \(args.joined(separator: " ")): error \(rc)") }
    var status: Int32 = 0
    let deadline = Date().addingTimeInterval(timeout)
    var pause: UInt32 = 1_000
    var timedOut = false
    while true {
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid || (reaped < 0 && errno != EINTR) { break }
        if Date() >= deadline {
            timedOut = true
            kill(-pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            break
        }
        usleep(pause)
        pause = min(pause * 2, 20_000)
    }
    var output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    if timedOut {
        output += "\n[spawn: \(args.prefix(3).joined(separator: " ")) still ran after \(Int(timeout)) s; killed]\n"
        return (137, output)
    }
    let exited = status & 0x7f == 0
    return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
}

/// `spawn` from an async test: the same, waited for on a Dispatch thread. A test that waits for a program on
/// one of the cooperative pool's threads (two on a 2-core machine) holds it from every other test meanwhile;
/// two such waits at once stopped every other test's clock-driven wait for minutes (an InfluxDB that had
/// started was never asked whether it had, and its test failed after 120 s).
///
/// At most three run at once this way: on the pool, two threads had kept them to two at a time, and thirty
/// `kubeglass once` at once slowed the programs other tests watch in tmux.
public func spawn(_ args: [String], timeout: Double = 300) async throws -> (status: Int32, output: String) {
    try await offThePool {
        spawnSlots.wait()
        defer { spawnSlots.signal() }
        return try spawn(args, timeout: timeout)
    }
}

private let spawnSlots = DispatchSemaphore(value: 3)

/// A long-running program (a server) started for a test; `stop()` ends it (SIGTERM, then SIGKILL).
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var exited = false

    /// Starts `executable` with `arguments`; its output goes to `logPath`.
    public init(_ executable: String, _ arguments: [String], logPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw SpawnError(message: "cannot start \(executable): error \(rc)") }
        self.pid = pid
    }

    /// Whether it is still running (reaps it if it has exited).
    public var isRunning: Bool {
        if exited { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    public func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            if !isRunning { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exited = true
    }

    deinit { stop() }
}
