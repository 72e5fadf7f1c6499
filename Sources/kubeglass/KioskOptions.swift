import App
import ArgumentParser
import Dashboards
import KubeglassCore

/// `--kiosk` and what goes with it: a wall screen that rotates dashboards and ignores keys until unlocked.
struct KioskOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Run as a wall screen: rotate the --playlist, ignore keys until the --unlock keys are typed (q three times within 2 s), show a large banner when data is stale, redraw on SIGHUP."
        ))
    var kiosk = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --kiosk, the dashboards to rotate: names or dashboard files (cluster,nodes,pods), or a playlist file with one per line and # comments (default: the --dashboard ones, else cluster,nodes,pods).",
            valueName: "list|file"))
    var playlist: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --kiosk, how long each dashboard stays on screen, e.g. 30s, 2m.", valueName: "duration"))
    var rotate: String = "30s"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --kiosk, the keys that unlock it, one key typed that many times within 2 s (qqq: q three times).",
            valueName: "keys"))
    var unlock: String = "qqq"

    func validate() throws {
        if !kiosk, unlock != "qqq" { throw ValidationError("--unlock unlocks a kiosk: add --kiosk") }
        _ = try unlockSequence()
        if !kiosk, playlist != nil { throw ValidationError("--playlist rotates a kiosk: add --kiosk") }
        guard let ms = DurationText.milliseconds(rotate), ms >= 1000 else {
            throw ValidationError("--rotate wants a duration of a second or more, like 30s or 2m (got \"\(rotate)\")")
        }
    }

    /// `--unlock`: one printable key repeated (the kiosk counts presses of a single key within its window).
    func unlockSequence() throws -> (key: Character, presses: Int) {
        guard let first = unlock.first, unlock.count >= 2, unlock.allSatisfy({ $0 == first }),
            first.isASCII, first != " ", !first.isWhitespace, first.asciiValue.map({ $0 >= 33 && $0 < 127 }) == true
        else {
            throw ValidationError(
                "--unlock wants one printable key typed two or more times, like qqq or xxxx (got \"\(unlock)\")")
        }
        return (first, unlock.count)
    }

    var rotateMilliseconds: Milliseconds { DurationText.milliseconds(rotate) ?? 30_000 }

    /// What the kiosk rotates, as `--dashboard` values: the playlist, else the dashboards named, else the
    /// Cluster, Nodes and Pods dashboards in the flavour of the default one (`cluster-prometheus` → `nodes-prometheus`).
    func playlistEntries(dashboards: [String], defaultDashboard: String) throws -> Playlist {
        if let playlist {
            guard dashboards.isEmpty else {
                throw ValidationError("--playlist takes the place of --dashboard in a kiosk: give only one of them")
            }
            do { return try Playlist.parse(playlist) } catch { throw ValidationError(error.description) }
        }
        if !dashboards.isEmpty { return Playlist(entries: dashboards.map { Playlist.Entry(value: $0) }) }
        let flavour = defaultDashboard.hasPrefix("cluster") ? String(defaultDashboard.dropFirst("cluster".count)) : ""
        return Playlist(entries: ["cluster", "nodes", "pods"].map { Playlist.Entry(value: $0 + flavour) })
    }

    /// The poll's back-off on a kiosk: four polls' worth, between one poll and 30 s, so the wall comes back soon.
    static func backoffCap(refresh: Milliseconds) -> Milliseconds { max(refresh, min(30_000, 4 * refresh)) }
}
