import App
import Dispatch
import Foundation
import TerminalUI

/// Waits for input on a dedicated thread, so that reading keys never blocks Swift's
/// concurrency pool; ncurses itself is only called from the loop that drains the keys.
final class InputWatcher: @unchecked Sendable {
    private let continuation: AsyncStream<AppEvent>.Continuation
    private let drained = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var running = true

    init(_ continuation: AsyncStream<AppEvent>.Continuation) {
        self.continuation = continuation
    }

    func start() {
        let thread = Thread { [self] in watch() }
        thread.name = "kubeglass-input"
        thread.start()
    }

    /// The loop calls this after reading every waiting key.
    func didDrain() { drained.signal() }

    func stop() {
        lock.withLock { running = false }
        drained.signal()
    }

    private var isRunning: Bool { lock.withLock { running } }

    private func watch() {
        var emptyWakeups = 0
        while isRunning {
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let r = poll(&fds, 1, 500)
            guard isRunning else { return }
            if r < 0 {
                if errno == EINTR {
                    continue
                } else {
                    continuation.yield(.inputClosed)
                    return
                }
            }
            if r == 0 { continue }
            // A terminal that went away (its tmux or ssh session ended) reports a hang-up with POLLIN set
            // too, and reads then return nothing at once: waking the loop for it spun a core forever.
            if fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                continuation.yield(.inputClosed)
                return
            }
            var waiting: Int32 = 0
            if ioctl(STDIN_FILENO, UInt(FIONREAD), &waiting) != 0 || waiting == 0 {
                // Readable with nothing to read is the end of input; allow for a race or two first.
                emptyWakeups += 1
                if emptyWakeups >= 3 {
                    continuation.yield(.inputClosed)
                    return
                }
                usleep(10_000)
                continue
            }
            emptyWakeups = 0
            continuation.yield(.input)
            drained.wait()
        }
    }
}

/// SIGWINCH, SIGINT, SIGTERM and SIGHUP as events (handled in the loop, so the terminal is restored).
/// A kiosk (`hangupRedraws`) takes SIGHUP as "draw everything again", as a resize does, and keeps running.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ continuation: AsyncStream<AppEvent>.Continuation, hangupRedraws: Bool = false) {
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let redraw = sig == SIGWINCH || (sig == SIGHUP && hangupRedraws)
                continuation.yield(redraw ? .resize : .quit(signal: sig))
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
