/// The step of a range query (or the `GROUP BY time(...)` of an InfluxQL one), chosen from the
/// panel's width: one point per braille dot column (two per cell), rounded up to a step people
/// recognise, and never so small that a series has more points than the server allows.
public enum RangeStep {
    /// Prometheus refuses a query_range of more than 11,000 points per series.
    public static let prometheusMaximumPoints: Int64 = 11_000

    /// Steps a person reads at a glance, in ms.
    public static let niceSteps: [Int64] = [
        1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
        60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
        3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
        86_400_000, 172_800_000, 604_800_000, 2_592_000_000, 31_536_000_000,
    ]

    /// - Parameters:
    ///   - range: end − start, ms.
    ///   - cells: the chart's width in terminal cells (2 braille points each).
    ///   - minimum: the smallest useful step, ms (the scrape interval: finer steps only repeat points).
    ///   - maximumPoints: the most points per series the server should return.
    /// - Returns: a step in ms from `niceSteps` (or a whole number of years past the end of the list).
    public static func choose(
        range: Int64, cells: Int, minimum: Int64 = 1_000, maximumPoints: Int64 = prometheusMaximumPoints
    ) -> Int64 {
        let points = max(1, Int64(cells) * 2)
        let range = max(0, range)
        var wanted = max(1, (range + points - 1) / points, minimum)
        // Never more than `maximumPoints` points over the range (ends included).
        let cap = max(1, maximumPoints - 1)
        wanted = max(wanted, (range + cap - 1) / cap)
        if let nice = niceSteps.first(where: { $0 >= wanted }) { return nice }
        let year = niceSteps[niceSteps.count - 1]
        return (wanted + year - 1) / year * year
    }

    /// `start` rounded down and `end` rounded up to multiples of `step`, so that successive
    /// refreshes ask for the same grid of times and cached points stay valid.
    public static func align(start: Int64, end: Int64, step: Int64) -> (start: Int64, end: Int64) {
        let step = max(1, step)
        return (floorMultiple(start, step), ceilMultiple(end, step))
    }

    static func floorMultiple(_ t: Int64, _ step: Int64) -> Int64 {
        let q = t / step
        return (t % step != 0 && t < 0 ? q - 1 : q) * step
    }

    static func ceilMultiple(_ t: Int64, _ step: Int64) -> Int64 {
        let floor = floorMultiple(t, step)
        return floor == t ? t : floor + step
    }
}
