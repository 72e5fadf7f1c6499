import Foundation
import KubeglassCore
import Query

extension PanelData {
    /// An events panel's data: `events` (newest first after this) that pass the panel's filter.
    ///
    /// The filter is the panel's `text`, else its first target's `expr`: matchers written as in PromQL,
    /// `namespace="kube-system"`, `reason!="BackOff"`, `kind="Node"`, `name="web-1"`, `type="Normal"`,
    /// separated by commas or spaces, braces optional. A bare word is a namespace (`kube-system`).
    /// An empty or missing filter, or the value `All`/`$__all`/`*`, keeps every event. Interpolate
    /// variables (`$namespace`) before calling. At most `limit` events are kept.
    public static func events(from events: [ClusterEvent], matching panel: Panel, limit: Int = 500) -> PanelData {
        let filter = panel.text ?? panel.targets.first?.expr ?? ""
        let matchers = EventFilter.parse(filter)
        var data = PanelData()
        data.events = Array(
            events.filter { e in matchers.allSatisfy { $0.matches(e) } }
                .sorted { $0.time > $1.time }.prefix(max(0, limit)))
        return data
    }
}

/// One `key="value"` (or `!=`) condition on an event.
struct EventFilter: Equatable {
    var key: String
    var value: String
    var negated: Bool

    static let keys = ["namespace", "kind", "name", "reason", "type"]

    func matches(_ e: ClusterEvent) -> Bool {
        if ["All", "$__all", "*", ".*", ".+"].contains(value) { return true }
        let field: String
        switch key {
        case "kind": field = e.objectKind
        case "name": field = e.objectName
        case "reason": field = e.reason
        case "type": field = e.type
        default: field = e.namespace
        }
        return (field.caseInsensitiveCompare(value) == .orderedSame) != negated
    }

    /// The matchers in `text`; words it cannot read are ignored (an events panel never fails on its filter).
    static func parse(_ text: String) -> [EventFilter] {
        var out: [EventFilter] = []
        let cleaned = text.map { "{},".contains($0) ? " " : $0 }
        for word in String(cleaned).split(separator: " ") where !word.isEmpty {
            let negated = word.contains("!=")
            let parts = word.split(separator: negated ? "!" : "=", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                var value = parts[1]
                if value.hasPrefix("=") { value.removeFirst() }
                value = value.trimmingCharacters(in: ["\"", "'", "`"])
                let key = parts[0].lowercased()
                guard keys.contains(key) else { continue }
                out.append(EventFilter(key: key, value: value, negated: negated))
            } else if !word.contains("=") {
                out.append(
                    EventFilter(
                        key: "namespace", value: String(word).trimmingCharacters(in: ["\"", "'"]), negated: false))
            }
        }
        return out
    }
}
