/// Builds the InfluxQL text of a Grafana InfluxDB target the way Grafana's `InfluxQueryModel.render`
/// does (influx_query_model.ts with the parts of query_part.ts), before any macro is expanded:
///
///     SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'node') AND $timeFilter
///     GROUP BY time($interval), "nodename" fill(null)
///
/// A raw target (`rawQuery: true`) gives its `query` unchanged. Expand the result with `InfluxMacros`.
public enum InfluxQueryBuilder {
    public struct UnknownPart: Error, Sendable, CustomStringConvertible {
        public let type: String
        public var description: String {
            "the InfluxDB query builder has no part \"\(type)\" (edit the query as raw InfluxQL)"
        }
    }

    /// How a part renders: what `query_part.ts` registers for its type.
    private enum Renderer { case field, function, suffix, alias }

    private struct Definition {
        var renderer: Renderer
        var defaults: [String]
        /// Whether the first param is a time interval (`auto` means `$__interval`).
        var timeParam = false
    }

    private static let definitions: [String: Definition] = {
        var d: [String: Definition] = [
            "field": Definition(renderer: .field, defaults: ["value"]),
            "tag": Definition(renderer: .field, defaults: ["tag"]),
            "math": Definition(renderer: .suffix, defaults: [" / 100"]),
            "alias": Definition(renderer: .alias, defaults: ["alias"]),
            "time": Definition(renderer: .function, defaults: ["$__interval"], timeParam: true),
            "fill": Definition(renderer: .function, defaults: ["null"]),
        ]
        for name in [
            "count", "distinct", "integral", "mean", "median", "mode", "sum", "spread", "difference",
            "non_negative_difference", "cumulative_sum", "stddev", "first", "last", "max", "min",
        ] {
            d[name] = Definition(renderer: .function, defaults: [])
        }
        for name in ["derivative", "non_negative_derivative", "elapsed"] {
            d[name] = Definition(renderer: .function, defaults: ["10s"])
        }
        d["moving_average"] = Definition(renderer: .function, defaults: ["10"])
        d["holt_winters"] = Definition(renderer: .function, defaults: ["10", "2"])
        d["holt_winters_with_fit"] = Definition(renderer: .function, defaults: ["10", "2"])
        d["bottom"] = Definition(renderer: .function, defaults: ["3"])
        d["top"] = Definition(renderer: .function, defaults: ["3"])
        d["percentile"] = Definition(renderer: .function, defaults: ["95"])
        return d
    }()

    public static func build(_ target: InfluxBuilderTarget) throws(UnknownPart) -> String {
        if target.rawQuery == true { return target.query ?? "" }
        let select = target.select ?? [[.init(type: "field", params: ["value"]), .init(type: "mean", params: [])]]
        let groupBy =
            target.groupBy ?? [.init(type: "time", params: ["$__interval"]), .init(type: "fill", params: ["null"])]

        var query = "SELECT "
        for (i, parts) in select.enumerated() {
            var text = ""
            for part in parts { text = try render(part, inner: text) }
            if i > 0 { query += ", " }
            query += text
        }
        query += " FROM " + measurementAndPolicy(target) + " WHERE "
        let conditions = (target.tags ?? []).enumerated().map { condition($0.element, index: $0.offset) }
        if !conditions.isEmpty { query += "(" + conditions.joined(separator: " ") + ") AND " }
        query += "$timeFilter"

        var section = ""
        for (i, part) in groupBy.enumerated() {
            // Grafana writes fill after a space, not a comma.
            if i > 0 { section += part.type == "fill" ? " " : ", " }
            section += try render(part, inner: "")
        }
        if !section.isEmpty { query += " GROUP BY " + section }
        if let fill = target.fill, !fill.isEmpty { query += " fill(" + fill + ")" }
        if target.orderByTime == "DESC" { query += " ORDER BY time DESC" }
        if let limit = target.limit, !limit.isEmpty { query += " LIMIT " + limit }
        if let slimit = target.slimit, !slimit.isEmpty { query += " SLIMIT " + slimit }
        if let tz = target.tz, !tz.isEmpty { query += " tz('" + tz + "')" }
        return query
    }

    private static func render(_ part: InfluxBuilderTarget.Part, inner: String) throws(UnknownPart) -> String {
        guard let definition = definitions[part.type] else { throw UnknownPart(type: part.type) }
        let params = part.params ?? definition.defaults
        switch definition.renderer {
        case .field:
            return params.first == "*" ? "*" : "\"" + (params.first ?? "") + "\""
        case .suffix:
            return inner + " " + (params.first ?? "")
        case .alias:
            return inner + " AS \"" + (params.first ?? "") + "\""
        case .function:
            var arguments = params.enumerated().map { index, value in
                definition.timeParam && index == 0 && value == "auto" ? "$__interval" : value
            }
            if !inner.isEmpty { arguments.insert(inner, at: 0) }
            return part.type + "(" + arguments.joined(separator: ", ") + ")"
        }
    }

    private static func measurementAndPolicy(_ target: InfluxBuilderTarget) -> String {
        var measurement = target.measurement ?? "measurement"
        if measurement.isEmpty { measurement = "measurement" }
        let isRegex = measurement.count >= 2 && measurement.hasPrefix("/") && measurement.hasSuffix("/")
        if !isRegex { measurement = "\"" + measurement + "\"" }
        let policy = target.policy ?? "default"
        return (policy == "default" || policy.isEmpty ? "" : "\"" + policy + "\".") + measurement
    }

    private static func condition(_ tag: InfluxBuilderTarget.Tag, index: Int) -> String {
        var text = index > 0 ? (tag.condition ?? "AND") + " " : ""
        var op = tag.operator ?? ""
        if op.isEmpty {
            op = tag.value.count >= 2 && tag.value.hasPrefix("/") && tag.value.hasSuffix("/") ? "=~" : "="
        }
        var value = tag.value
        if op != "=~" && op != "!~" && op != ">" && op != "<" {
            value = "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
        }
        var key = "\"" + tag.key + "\""
        if tag.key.hasSuffix("::tag") { key = "\"" + tag.key.dropLast(5) + "\"::tag" }
        if tag.key.hasSuffix("::field") { key = "\"" + tag.key.dropLast(7) + "\"::field" }
        text += key + " " + op + " " + value
        return text
    }
}

extension InfluxQueryBuilder {
    /// The InfluxQL a panel runs: the target built (or its raw text), the GROUP BY interval chosen
    /// from the panel's width (at least `minimumInterval`, at most `InfluxMacros.maximumBuckets`
    /// buckets), macros and variables expanded, and literal `time(...)` intervals capped too.
    public static func query(
        for target: InfluxBuilderTarget, start: Int64, end: Int64, cells: Int,
        minimumInterval: Int64 = 10_000, variables: [String: [String]] = [:]
    ) throws(UnknownPart) -> String {
        let interval = InfluxMacros.interval(start: start, end: end, cells: cells, minimum: minimumInterval)
        let text = InfluxMacros.expand(
            try build(target), start: start, end: end, interval: interval,
            variables: variables, minimumInterval: minimumInterval)
        return InfluxMacros.capBuckets(text, start: start, end: end)
    }
}
