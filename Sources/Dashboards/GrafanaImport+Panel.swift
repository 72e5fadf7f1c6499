import Foundation
import KubeglassCore
import Query

/// One Grafana panel → one kubeglass panel: kind, unit, range, thresholds, legend, queries.
extension GrafanaConversion {
    mutating func panel(_ p: JSONValue, at pos: GridPos) -> Panel {
        let title = p["title"]?.string ?? ""
        let type = p["type"]?.string ?? ""
        let defaults = p["fieldConfig"]?["defaults"]
        let yaxis = p["yaxes"]?.array?.first
        var panel = Panel(title: title, kind: .timeseries, gridPos: pos)
        panel.unit = unit(
            defaults?["unit"]?.string ?? p["format"]?.string ?? yaxis?["format"]?.string
                ?? p["y_formats"]?.array?.first?.string,
            panel: title)
        panel.min = defaults?["min"]?.number ?? yaxis?["min"]?.number ?? p["gauge"]?["minValue"]?.number
        panel.max = defaults?["max"]?.number ?? yaxis?["max"]?.number ?? p["gauge"]?["maxValue"]?.number
        panel.decimals = defaults?["decimals"]?.int ?? p["decimals"]?.int ?? yaxis?["decimals"]?.int
        panel.thresholds = thresholds(p, panel: title)
        if let repeatName = p["repeat"]?.string, !repeatName.isEmpty {
            note("panel \"\(title)\" repeats for each value of $\(repeatName) in Grafana; kubeglass shows it once")
        }
        if !(p["links"]?.array?.isEmpty ?? true) { panelsWithLinks.append(title) }

        let (targets, sources, hidden) = self.targets(p, panel: title)
        panel.targets = targets
        panel.datasource = GrafanaConversion.mostCommon(sources)
        let foreign = foreignDatasource(p)

        switch type {
        case "graph", "timeseries":
            panel.kind = .timeseries
            panel.stack =
                (p["stack"]?.bool ?? false)
                || ["normal", "percent"].contains(defaults?["custom"]?["stacking"]?["mode"]?.string ?? "none")
            panel.legend = legend(p, panel: title)
            let style = defaults?["custom"]?["thresholdsStyle"]?["mode"]?.string ?? "off"
            panel.thresholdLines = style != "off" || !(p["thresholds"]?.array?.isEmpty ?? true)
        case "singlestat":
            panel.kind = (p["gauge"]?["show"]?.bool ?? false) ? .gauge : .stat
            panel.sparkline = p["sparkline"]?["show"]?.bool ?? false
        case "stat":
            panel.kind = .stat
            panel.sparkline = p["options"]?["graphMode"]?.string == "area"
        case "gauge": panel.kind = .gauge
        case "bargauge": panel.kind = .bargauge
        case "heatmap":
            panel.kind = .heatmap
            // A heatmap's unit is its y axis' (the buckets' bounds), not its cells'.
            if let id = p["options"]?["yAxis"]?["unit"]?.string ?? p["yAxis"]?["format"]?.string {
                panel.unit = unit(id, panel: title)
            }
        case "piechart", "grafana-piechart-panel": panel.kind = .piechart
        case "barchart": panel.kind = .barchart
        case "table", "table-old":
            table(p, into: &panel)
        case "text":
            panel.kind = .text
            panel.text = p["options"]?["content"]?.string ?? p["content"]?.string ?? ""
            panel.targets = []
            panel.datasource = nil
        default:
            return unsupported(panel, because: GrafanaConversion.reason(type))
        }
        if let foreign, panel.kind != .text {
            return unsupported(
                panel, because: "kubeglass cannot query a \(foreign) datasource (only Prometheus and InfluxDB)")
        }
        if [.timeseries, .stat, .gauge, .bargauge, .heatmap, .piechart, .barchart].contains(panel.kind),
            panel.targets.isEmpty
        {
            return unsupported(
                panel,
                because: hidden > 0 ? "every query of this panel is hidden in Grafana" : "this panel has no queries")
        }
        return panel
    }

    static func reason(_ type: String) -> String {
        switch type {
        case "": return "this panel has no type"
        case "histogram", "state-timeline", "status-history", "xychart", "trend", "candlestick":
            return "kubeglass cannot draw a \(type) panel"
        case "logs", "nodeGraph", "traces", "flamegraph", "geomap", "canvas", "news", "dashlist", "alertlist",
            "annolist", "welcome", "gettingstarted":
            return "kubeglass cannot draw a \(type) panel"
        default:
            return type.contains("-")
                ? "kubeglass cannot draw the plugin panel \(type)" : "kubeglass cannot draw a \(type) panel"
        }
    }

    private func unsupported(_ panel: Panel, because why: String) -> Panel {
        var p = panel
        p.kind = .unsupported
        p.text = why
        p.stack = false
        p.thresholdLines = false
        p.sparkline = false
        p.legend = LegendOptions()
        p.rowKey = []
        p.columns = []
        p.sortColumn = nil
        p.sortDescending = true
        return p
    }

    mutating func unit(_ id: String?, panel title: String) -> DisplayUnit {
        guard let id, !id.isEmpty else { return .short }
        let unit = DisplayUnit(grafanaID: id)
        if unit == .short && id != "short" { unknownUnits[id, default: []].append(title) }
        return unit
    }

    // MARK: Thresholds

    private mutating func thresholds(_ p: JSONValue, panel title: String) -> [ThresholdStep] {
        if let t = p["fieldConfig"]?["defaults"]?["thresholds"], let steps = t["steps"]?.array {
            if t["mode"]?.string == "percentage" {
                note("panel \"\(title)\": thresholds in percent of the range are used as plain values")
            }
            return steps.map {
                ThresholdStep(value: $0["value"]?.number, color: GrafanaConversion.color($0["color"]?.string ?? ""))
            }
        }
        // singlestat: "70,90" and three colours, low to high.
        if let text = p["thresholds"]?.string {
            let values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty else { return [] }
            let colors = (p["colors"]?.array ?? []).compactMap(\.string).map(GrafanaConversion.color)
            let names = colors.count >= values.count + 1 ? colors : ["ok", "warning", "critical"]
            return [ThresholdStep(value: nil, color: names[0])]
                + values.prefix(names.count - 1).enumerated().map { ThresholdStep(value: $1, color: names[$0 + 1]) }
        }
        // graph: lines at values, each "critical", "warning" or "ok" above it.
        if let lines = p["thresholds"]?.array, !lines.isEmpty {
            var steps = [ThresholdStep(value: nil, color: "ok")]
            for l in lines {
                guard let v = l["value"]?.number else { continue }
                if l["op"]?.string == "lt" {
                    note("panel \"\(title)\": a \"below\" threshold is drawn as an \"above\" one")
                }
                let mode = l["colorMode"]?.string ?? "critical"
                steps.append(
                    ThresholdStep(
                        value: v,
                        color: mode == "custom" ? GrafanaConversion.color(l["lineColor"]?.string ?? "red") : mode))
            }
            return steps.count > 1 ? steps.sorted { ($0.value ?? -.infinity) < ($1.value ?? -.infinity) } : []
        }
        return []
    }

    /// Grafana's colours → our theme's: the greens are ok, yellows and oranges warning, reds critical; others kept.
    static func color(_ text: String) -> String {
        let c = text.lowercased().trimmingCharacters(in: .whitespaces)
        if c.contains("green") { return "ok" }
        if c.contains("red") { return "critical" }
        if c.contains("orange") || c.contains("yellow") { return "warning" }
        var rgb: [Double] = []
        if c.hasPrefix("rgb") {
            rgb = c.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }.split(separator: ",").prefix(3)
                .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        } else if c.hasPrefix("#"), c.count == 7, let v = UInt32(c.dropFirst(), radix: 16) {
            rgb = [Double(v >> 16), Double((v >> 8) & 0xFF), Double(v & 0xFF)]
        }
        guard rgb.count == 3 else { return text }
        let (r, g, b) = (rgb[0], rgb[1], rgb[2])
        if g > r && g > b { return "ok" }
        if r > 180 && g > 100 && b < 120 { return "warning" }
        if r > g && r > b { return "critical" }
        return c.hasPrefix("#") ? c : String(format: "#%02x%02x%02x", Int(r), Int(g), Int(b))
    }

    // MARK: Legend

    private mutating func legend(_ p: JSONValue, panel title: String) -> LegendOptions {
        var options = LegendOptions()
        if let l = p["options"]?["legend"], l.object != nil {
            switch l["displayMode"]?.string {
            case "table": options.table = true
            case "hidden": options.show = false
            default: break
            }
            if l["showLegend"]?.bool == false { options.show = false }
            if l["asTable"]?.bool == true { options.table = true }
            // Grafana's legend shows no values unless `calcs` asks for some.
            do {
                var values: [LegendOptions.Value] = []
                for c in (l["calcs"]?.array ?? []).compactMap(\.string) {
                    guard let v = GrafanaConversion.legendValue(c) else {
                        note(
                            "panel \"\(title)\": legend value \"\(c)\" is not one kubeglass computes (last, min, max, mean, total)"
                        )
                        continue
                    }
                    if !values.contains(v) { values.append(v) }
                }
                options.values = values
            }
            options.sortBy = l["sortBy"]?.string.flatMap(GrafanaConversion.legendValue)
            options.sortDescending = l["sortDesc"]?.bool ?? true
        } else if let l = p["legend"], l.object != nil {
            options.show = l["show"]?.bool ?? true
            options.table = l["alignAsTable"]?.bool ?? false
            if l["values"]?.bool ?? false {
                let pairs: [(String, LegendOptions.Value)] = [
                    ("current", .last), ("min", .min), ("max", .max), ("avg", .avg), ("total", .total),
                ]
                options.values = pairs.filter { l[$0.0]?.bool ?? false }.map(\.1)
            } else {
                options.values = []
            }
            options.sortBy = l["sort"]?.string.flatMap(GrafanaConversion.legendValue)
            options.sortDescending = l["sortDesc"]?.bool ?? true
        }
        if !options.show { options.table = false }
        return options
    }

    /// Grafana's reducer ids and legend column names ("lastNotNull", "Mean", "Last *").
    static func legendValue(_ text: String) -> LegendOptions.Value? {
        let t = text.lowercased()
        if t.hasPrefix("last") || t == "current" { return .last }
        switch t {
        case "mean", "avg", "average": return .avg
        case "max": return .max
        case "min": return .min
        case "sum", "total": return .total
        default: return nil
        }
    }

    // MARK: Queries

    /// The panel's queries that are not hidden, the datasource each is for, and how many were hidden.
    mutating func targets(_ p: JSONValue, panel title: String) -> ([Target], [Datasource], Int) {
        let panelSource = datasource(p["datasource"])
        var out: [Target] = []
        var sources: [Datasource] = []
        var hidden = 0
        for t in p["targets"]?.array ?? [] {
            if t["hide"]?.bool == true {
                hidden += 1
                continue
            }
            var source = datasource(t["datasource"]) ?? panelSource
            if let ds = t["dsType"]?.string { source = GrafanaConversion.datasource(type: ds) ?? source }
            if source == nil {
                source =
                    t["expr"] != nil
                    ? .prometheus
                    : (t["measurement"] != nil || t["rawQuery"] != nil || t["select"] != nil) ? .influxdb : nil
            }
            let legend = (t["legendFormat"]?.string ?? t["alias"]?.string).flatMap {
                $0.isEmpty || $0 == "__auto" ? nil : $0
            }
            if source == .influxdb {
                if t["rawQuery"]?.bool == true, let q = t["query"]?.string {
                    out.append(Target(expr: q, legend: legend))
                } else {
                    out.append(Target(expr: "", legend: legend, influxBuilder: t.compactText))
                }
            } else if let expr = t["expr"]?.string, !expr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                out.append(Target(expr: expr, legend: legend, instant: t["instant"]?.bool ?? false))
            } else {
                note(
                    "panel \"\(title)\": query \(t["refId"]?.string ?? "") has no expression kubeglass can run; left out"
                )
                continue
            }
            if let source { sources.append(source) }
        }
        return (out, sources, hidden)
    }

    /// A datasource reference in any of Grafana's spellings; nil when it does not say (mixed, default, unknown).
    func datasource(_ value: JSONValue?) -> Datasource? {
        guard let value, !value.isNull else { return nil }
        if let type = value["type"]?.string, type != "datasource" {
            return GrafanaConversion.datasource(type: type)
        }
        if let uid = value["uid"]?.string { return datasource(name: uid) }
        if let name = value.string { return datasource(name: name) }
        return nil
    }

    private func datasource(name raw: String) -> Datasource? {
        var name = raw.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("${"), name.hasSuffix("}") {
            name = String(name.dropFirst(2).dropLast())
        } else if name.hasPrefix("$") {
            name = String(name.dropFirst())
        }
        if name.hasPrefix("[["), name.hasSuffix("]]") { name = String(name.dropFirst(2).dropLast(2)) }
        if let type = datasourceVariables[name] { return GrafanaConversion.datasource(type: type) }
        if let plugin = inputs[name] { return GrafanaConversion.datasource(type: plugin) }
        return GrafanaConversion.datasource(type: name)
    }

    /// A plugin type or datasource name → ours: Prometheus and its peers, InfluxDB (Heapster's names included).
    static func datasource(type: String) -> Datasource? {
        let t = type.lowercased()
        if ["prom", "thanos", "mimir", "cortex", "victoria"].contains(where: t.contains) { return .prometheus }
        if t.contains("influx") || t.contains("heapster") || t == "k8s" { return .influxdb }
        return nil
    }

    /// A datasource kubeglass cannot query (Loki, Elasticsearch, …), named by its type.
    private func foreignDatasource(_ p: JSONValue) -> String? {
        var refs = [p["datasource"]] + (p["targets"]?.array ?? []).map { $0["datasource"] }
        refs = refs.filter { $0 != nil && !$0!.isNull }
        for ref in refs {
            guard let type = ref?["type"]?.string else { continue }
            if type != "datasource", !type.hasPrefix("-- "), !type.hasPrefix("__"),
                GrafanaConversion.datasource(type: type) == nil
            {
                return type
            }
        }
        return nil
    }
}
