import Foundation

/// One run of a credential plugin: what it printed and how it ended.
struct PluginRun: Sendable {
    enum Failure: Error, Sendable {
        /// No executable by that name in PATH, or no file at that path.
        case notFound
        case cannotStart(errno: Int32)
    }

    /// The exit code, or 128 + the signal number when a signal ended it.
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]
    /// It ran past its time limit and was killed (with everything it started).
    var timedOut: Bool

    /// Output beyond this is dropped: an ExecCredential is a few kilobytes.
    static let outputLimit = 4 << 20

    /// Runs `command` (a path, or a name looked up in PATH) with stdin on /dev/null, on a thread of its
    /// own so the concurrency pool never waits on it. posix_spawn, not Foundation's Process, which hangs here.
    static func run(command: String, arguments: [String], environment: [String: String], timeout: Duration)
        async throws(Failure) -> PluginRun
    {
        let result: Result<PluginRun, Failure> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: Result { () throws(Failure) -> PluginRun in
                        try runBlocking(
                            command: command, arguments: arguments, environment: environment, timeout: timeout)
                    })
            }
            thread.name = "kubeglass exec plugin"
            thread.start()
        }
        return try result.get()
    }

    /// The executable a bare name means, searched in `path` (a PATH value) as a shell would.
    static func locate(_ command: String, path: String?) -> String? {
        if command.contains("/") {
            return access(command, X_OK) == 0 || access(command, F_OK) == 0 ? command : nil
        }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + command
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    private static func runBlocking(
        command: String, arguments: [String], environment: [String: String], timeout: Duration
    ) throws(Failure) -> PluginRun {
        guard let executable = locate(command, path: ProcessInfo.processInfo.environment["PATH"]) else {
            throw .notFound
        }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw .cannotStart(errno: errno) }
        guard pipe(&errPipe) == 0 else {
            let code = errno
            close(outPipe[0])
            close(outPipe[1])
            throw .cannotStart(errno: code)
        }

        // Only the plugin's copies (dup2'd to 1 and 2) may stay open in it, or EOF never comes.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // stdin is not a terminal: the plugin must not prompt.
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own, so a timeout kills whatever the plugin started too.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw rc == ENOENT ? .notFound : .cannotStart(errno: rc)
        }

        var run = PluginRun(status: 0, stdout: [], stderr: [], timedOut: false)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var open: [(fd: Int32, isOut: Bool)] = [(outPipe[0], true), (errPipe[0], false)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero {
                run.timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                break
            }
            var fds = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let millis = Int32(
                clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                    + 1)
            let ready = poll(&fds, nfds_t(fds.count), millis)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            var closed: [Int32] = []
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let chunk = buffer[0..<count]
                    if open[index].isOut {
                        if run.stdout.count < outputLimit { run.stdout += chunk }
                    } else if run.stderr.count < outputLimit {
                        run.stderr += chunk
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    closed.append(entry.fd)
                }
            }
            for fd in closed { close(fd) }
            open.removeAll { closed.contains($0.fd) }
        }
        for entry in open { close(entry.fd) }

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        run.status = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return run
    }
}
