import KubeglassCore

/// The time range picker's typed entry and the refresh picker's starting point.
extension Picker {
    /// A typed time range (`90m`, `now-2d`): its length, or what is wrong with it, said in the picker.
    public static func typedRange(_ text: String) -> (milliseconds: Int64?, problem: String?) {
        let bare = text.hasPrefix("now-") ? String(text.dropFirst(4)) : text
        guard !bare.isEmpty else { return (nil, "type a range like 90m or 2d") }
        if bare.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return (nil, "\(bare) needs a unit: \(bare)m, \(bare)h or \(bare)d (s and w too)")
        }
        guard let ms = DurationText.milliseconds(bare) else {
            return (nil, "\(bare) is not a range: a number and a unit, like 90m or 2d")
        }
        guard ms >= 10_000 else { return (nil, "\(bare) is too short: at least 10s") }
        return (ms, nil)
    }

    /// The refresh picker, opened on `current` (listed among the others when it is not one of them).
    public static func refresh(current: Int64?) -> Picker {
        var intervals = refreshIntervals
        if let current, !intervals.contains(where: { $0.ms == current }) {
            intervals.append((DurationText.text(milliseconds: current), current))
            intervals.sort { $0.ms < $1.ms }
        }
        let checked = intervals.filter { $0.ms == current }.map(\.label)
        return Picker(
            purpose: .refresh, title: "Refresh every", items: intervals.map(\.label), checked: Set(checked),
            selected: intervals.firstIndex { $0.ms == current } ?? 0)
    }
}
