import ArgumentParser
import Dashboards

extension Dashboard {
    /// The panel `--panel` names: the one with exactly that title, else the only one whose title matches
    /// ignoring case (`nodes` finds `Nodes`). Two that match only ignoring case are an error naming both.
    func panel(titled wanted: String) throws -> Panel {
        if let exact = panels.first(where: { $0.title == wanted }) { return exact }
        let matches = panels.filter { $0.title.lowercased() == wanted.lowercased() }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw ValidationError(
                "--panel \"\(wanted)\" matches \(matches.count) panels of \(title) when case is ignored: "
                    + matches.map { "\"\($0.title)\"" }.joined(separator: ", ") + "; give the title exactly")
        }
        throw ValidationError(
            "no panel \"\(wanted)\" in \(title) (panels: \(panels.map(\.title).joined(separator: ", ")))")
    }
}
