import Foundation
import KubeglassCore
import Query
import Yams

/// A dashboard file that could not be read: which file, which line, what was expected.
public struct DashboardFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let line, let column, line > 0 { place += ":\(column)" }
        return "\(place): \(message)"
    }
}

/// Reads kubeglass' YAML dashboard format (documented in the README).
public enum DashboardFile {
    public static func load(path: String) throws -> Dashboard {
        try DashboardLimits.checkSize(of: path)
        let data: Data
        switch FileContents.read(path) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            throw DashboardFileError(file: path, line: nil, column: nil, message: failure.description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DashboardFileError(file: path, line: nil, column: nil, message: "the file is not UTF-8 text")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var dashboard = try parse(yaml: text, file: path, name: stem)
        dashboard.file = path
        return dashboard
    }

    public static func parse(yaml text: String, file: String, name: String) throws -> Dashboard {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        }
        guard let root else {
            throw DashboardFileError(
                file: file, line: 1, column: 1,
                message: "the file is empty (expected a dashboard with `title` and `panels`)")
        }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(root, what: "a dashboard (a mapping with `title` and `panels`)")
        try reader.allowOnly(
            top, ["title", "refresh", "time", "panels", "name", "variables", "datasource"], in: "a dashboard",
            node: root)
        let title = try reader.string(top["title"], required: true, key: "title", parent: root)!
        let refresh = try reader.duration(top["refresh"], key: "refresh")
        let time = try reader.duration(top["time"], key: "time") ?? Milliseconds.hour
        guard let panelsNode = top["panels"] else {
            throw reader.error(root, "missing `panels` (expected a list of panels)")
        }
        let panelNodes = try reader.sequence(panelsNode, what: "a list of panels")
        try DashboardLimits.checkPanels(panelNodes.count, file: file)
        let panels = try panelNodes.map { try reader.panel($0) }
        let variables =
            try top["variables"].map {
                try reader.sequence($0, what: "a list of variables").map { try reader.variable($0) }
            } ?? []
        var seen = Set<String>()
        for (v, node) in zip(
            variables, try top["variables"].map { try reader.sequence($0, what: "a list of variables") } ?? [])
        where !seen.insert(v.name).inserted {
            throw reader.error(node, "variable `\(v.name)` is defined twice")
        }
        return Dashboard(
            title: title, name: try reader.string(top["name"], key: "name") ?? name, refresh: refresh, timeRange: time,
            panels: panels,
            variables: variables, datasource: try reader.datasource(top["datasource"]))
    }

    static func yamlError(_ error: YamlError, file: String) -> DashboardFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return DashboardFileError(
                file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        default:
            return DashboardFileError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)")
        }
    }
}

/// Typed access to YAML nodes, with errors that point at the node's line.
struct NodeReader {
    let file: String

    func error(_ node: Node?, _ message: String) -> DashboardFileError {
        DashboardFileError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
    }

    func mapping(_ node: Node, what: String) throws -> [String: Node] {
        guard case .mapping(let m) = node else { throw error(node, "expected \(what)") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw error(k, "expected a text key") }
            out[key] = v
        }
        return out
    }

    func allowOnly(_ map: [String: Node], _ keys: Set<String>, in what: String, node: Node) throws {
        for key in map.keys where !keys.contains(key) {
            let valueNode = map[key]
            throw error(
                keyNode(node, key) ?? valueNode,
                "unknown key `\(key)` in \(what) (expected one of: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    private func keyNode(_ mapping: Node, _ key: String) -> Node? {
        guard case .mapping(let m) = mapping else { return nil }
        return m.first { $0.key.string == key }?.key
    }

    func sequence(_ node: Node, what: String) throws -> [Node] {
        guard case .sequence(let s) = node else { throw error(node, "expected \(what)") }
        return Array(s)
    }

    func string(_ node: Node?, required: Bool = false, key: String, parent: Node? = nil) throws -> String? {
        guard let node else {
            if required { throw error(parent, "missing `\(key)`") }
            return nil
        }
        guard case .scalar(let s) = node else { throw error(node, "`\(key)` should be text") }
        return s.string
    }

    func number(_ node: Node?, key: String) throws -> Double? {
        guard let node else { return nil }
        if node.null != nil { return nil }
        guard case .scalar = node, let v = node.float ?? node.int.map(Double.init) else {
            throw error(node, "`\(key)` should be a number")
        }
        return v
    }

    func int(_ node: Node?, key: String) throws -> Int? {
        guard let node else { return nil }
        guard case .scalar = node, let v = node.int else { throw error(node, "`\(key)` should be a whole number") }
        return v
    }

    func bool(_ node: Node?, key: String) throws -> Bool? {
        guard let node else { return nil }
        guard case .scalar = node, let v = node.bool else { throw error(node, "`\(key)` should be true or false") }
        return v
    }

    func duration(_ node: Node?, key: String) throws -> Int64? {
        guard let text = try string(node, key: key) else { return nil }
        let trimmed = text.hasPrefix("now-") ? String(text.dropFirst(4)) : text
        guard let ms = DurationText.milliseconds(trimmed), ms > 0 else {
            throw error(node, "`\(key)` should be a duration like 5s, 1m, 1h (got \"\(text)\")")
        }
        return ms
    }

    func unit(_ node: Node?) throws -> DisplayUnit? {
        guard let text = try string(node, key: "unit") else { return nil }
        guard let unit = DisplayUnit(rawValue: text) else {
            throw error(
                node,
                "unknown unit \"\(text)\" (expected one of: \(DisplayUnit.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return unit
    }

    func panel(_ node: Node) throws -> Panel {
        let map = try mapping(node, what: "a panel (a mapping with `title`, `type` and `grid`)")
        try allowOnly(
            map,
            [
                "title", "type", "grid", "gridPos", "unit", "min", "max", "decimals", "targets", "expr", "legend",
                "thresholds", "key", "columns", "sort", "sparkline", "text", "datasource", "stack", "legendOptions",
                "maxSeries", "thresholdLines", "drilldown", "collapsed", "panels", "instant", "needs",
            ], in: "a panel", node: node)
        let title = try string(map["title"], required: true, key: "title", parent: node)!
        let typeText = try string(map["type"], required: true, key: "type", parent: node)!
        guard let kind = Panel.Kind(rawValue: typeText == "graph" ? "timeseries" : typeText) else {
            throw error(
                map["type"],
                "unknown panel type \"\(typeText)\" (expected one of: \(Panel.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard let gridNode = map["grid"] ?? map["gridPos"] else {
            throw error(node, "panel \"\(title)\": missing `grid` (x, y, w, h on the 24-column grid)")
        }
        let g = try mapping(gridNode, what: "`grid` with x, y, w, h")
        var pos = GridPos(x: 0, y: 0, w: 0, h: 0)
        for (key, path) in [("x", \GridPos.x), ("y", \GridPos.y), ("w", \GridPos.w), ("h", \GridPos.h)] {
            guard let v = try int(g[key], key: key) else { throw error(gridNode, "`grid` is missing `\(key)`") }
            pos[keyPath: path] = v
        }
        guard pos.x >= 0, pos.w >= 1, pos.x + pos.w <= 24, pos.h >= 1, pos.y >= 0 else {
            throw error(
                gridNode,
                "`grid` must fit the 24-column grid: 0 ≤ x, 1 ≤ w, x + w ≤ 24, 1 ≤ h (got x: \(pos.x), w: \(pos.w), h: \(pos.h))"
            )
        }
        var targets: [Target] = []
        if let expr = try string(map["expr"], key: "expr") {
            targets.append(
                Target(
                    expr: expr, legend: try string(map["legend"], key: "legend"),
                    instant: try bool(map["instant"], key: "instant") ?? false))
        }
        if let t = map["targets"] {
            for tn in try sequence(t, what: "a list of targets (each with `expr`)") {
                let tm = try mapping(tn, what: "a target with `expr`")
                try allowOnly(tm, ["expr", "legend", "instant", "influxBuilder"], in: "a target", node: tn)
                targets.append(
                    Target(
                        expr: try string(tm["expr"], required: true, key: "expr", parent: tn)!,
                        legend: try string(tm["legend"], key: "legend"),
                        instant: try bool(tm["instant"], key: "instant") ?? false,
                        influxBuilder: try string(tm["influxBuilder"], key: "influxBuilder")))
            }
        }
        let thresholds = try self.thresholds(map["thresholds"])
        var columns: [Column] = []
        if let c = map["columns"] {
            for cn in try sequence(c, what: "a list of columns") {
                let cm = try mapping(cn, what: "a column with `title` and `expr` or `label`")
                try allowOnly(
                    cm, ["title", "expr", "label", "unit", "sparkline", "width", "thresholds"], in: "a column", node: cn
                )
                let ctitle = try string(cm["title"], required: true, key: "title", parent: cn)!
                let expr = try string(cm["expr"], key: "expr")
                let label = try string(cm["label"], key: "label")
                let isSparkline = try bool(cm["sparkline"], key: "sparkline") ?? false
                let ckind: Column.Kind = isSparkline ? .sparkline : (label != nil ? .label : .value)
                if ckind != .label && expr == nil {
                    throw error(cn, "column \"\(ctitle)\" needs `expr` (or `label` to show a label)")
                }
                let steps = try self.thresholds(cm["thresholds"])
                if !steps.isEmpty && ckind != .value {
                    throw error(
                        cm["thresholds"], "column \"\(ctitle)\": only a value column (with `expr`) has `thresholds`")
                }
                columns.append(
                    Column(
                        title: ctitle, kind: ckind, expr: expr, label: label, unit: try unit(cm["unit"]) ?? .short,
                        width: try int(cm["width"], key: "width"), thresholds: steps))
            }
        }
        var sortColumn: Int?
        var sortDescending = true
        if let s = map["sort"] {
            let sm = try mapping(s, what: "`sort` with `column` and `descending`")
            if let name = try string(sm["column"], key: "column") {
                guard let i = columns.firstIndex(where: { $0.title == name }) else {
                    throw error(sm["column"], "sort column \"\(name)\" is not one of this table's columns")
                }
                sortColumn = i
            }
            sortDescending = try bool(sm["descending"], key: "descending") ?? true
        }
        let key = try map["key"].map { try sequence($0, what: "a list of label names").compactMap { $0.string } } ?? []
        switch kind {
        case .table where columns.isEmpty: throw error(node, "table \"\(title)\" needs `columns`")
        case .table where key.isEmpty:
            throw error(node, "table \"\(title)\" needs `key`: the label(s) that identify a row, e.g. [node]")
        case .timeseries, .stat, .gauge, .bargauge, .heatmap, .piechart, .barchart:
            if targets.isEmpty { throw error(node, "panel \"\(title)\" needs `targets` (or `expr`)") }
        default: break
        }
        if let d = map["drilldown"], (try? mapping(d, what: ""))?["table"] != nil, kind != .stat, kind != .gauge {
            throw error(d, "only a stat or gauge opens a drill-down `table` (this panel is a \(kind.rawValue))")
        }
        let children =
            try map["panels"].map {
                try sequence($0, what: "a list of panels (the row's folded panels)").map { try panel($0) }
            } ?? []
        if !children.isEmpty && kind != .row {
            throw error(map["panels"], "only a row holds `panels` (this panel is a \(kind.rawValue))")
        }
        var made = Panel(
            title: title, kind: kind, gridPos: pos, unit: try unit(map["unit"]) ?? .short,
            min: try number(map["min"], key: "min"), max: try number(map["max"], key: "max"),
            decimals: try int(map["decimals"], key: "decimals"), targets: targets, thresholds: thresholds,
            rowKey: key, columns: columns, sortColumn: sortColumn, sortDescending: sortDescending,
            sparkline: try bool(map["sparkline"], key: "sparkline") ?? false,
            text: try string(map["text"], key: "text"),
            datasource: try datasource(map["datasource"]), stack: try bool(map["stack"], key: "stack") ?? false,
            legend: try legendOptions(map["legendOptions"]), maxSeries: try int(map["maxSeries"], key: "maxSeries"),
            thresholdLines: try bool(map["thresholdLines"], key: "thresholdLines") ?? false,
            drilldown: try drilldown(map["drilldown"], panel: title),
            collapsed: try bool(map["collapsed"], key: "collapsed") ?? false,
            children: children)
        made.needs = try string(map["needs"], key: "needs")
        return made
    }

    /// `[{value: null, color: ok}, {value: 90, color: critical}]`: from each value upward, that colour.
    func thresholds(_ node: Node?) throws -> [ThresholdStep] {
        guard let node else { return [] }
        return try sequence(node, what: "a list of threshold steps ({value, color})").map { sn in
            let sm = try mapping(sn, what: "a threshold step with `value` and `color`")
            try allowOnly(sm, ["value", "color"], in: "a threshold step", node: sn)
            return ThresholdStep(
                value: try number(sm["value"], key: "value"),
                color: try string(sm["color"], required: true, key: "color", parent: sn)!)
        }
    }

    func datasource(_ node: Node?) throws -> Datasource? {
        guard let text = try string(node, key: "datasource") else { return nil }
        guard let d = Datasource(rawValue: text) else {
            throw error(
                node,
                "unknown datasource \"\(text)\" (expected one of: \(Datasource.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return d
    }

    func legendOptions(_ node: Node?) throws -> LegendOptions {
        guard let node else { return LegendOptions() }
        let m = try mapping(node, what: "`legendOptions` with mode, values, sortBy, descending")
        try allowOnly(m, ["mode", "values", "sortBy", "descending"], in: "legendOptions", node: node)
        var options = LegendOptions()
        switch try string(m["mode"], key: "mode") {
        case nil, "list": break
        case "table": options.table = true
        case "hidden": options.show = false
        case let other?: throw error(m["mode"], "unknown legend mode \"\(other)\" (expected list, table or hidden)")
        }
        func value(_ n: Node) throws -> LegendOptions.Value {
            let text = try string(n, key: "values") ?? ""
            guard let v = LegendOptions.Value(rawValue: text) else {
                throw error(
                    n,
                    "unknown legend value \"\(text)\" (expected one of: \(LegendOptions.Value.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            return v
        }
        if let vs = m["values"] { options.values = try sequence(vs, what: "a list of legend values").map(value) }
        if let s = m["sortBy"] { options.sortBy = try value(s) }
        options.sortDescending = try bool(m["descending"], key: "descending") ?? true
        return options
    }

    func drilldown(_ node: Node?, panel title: String) throws -> Drilldown? {
        guard let node else { return nil }
        let m = try mapping(node, what: "`drilldown` with `dashboard` and `variables` (or a stat's `table`)")
        try allowOnly(m, ["dashboard", "variables", "table"], in: "drilldown", node: node)
        if let tn = m["table"] {
            guard m["dashboard"] == nil else {
                throw error(node, "`drilldown` leads to a `dashboard` or opens a `table`, not both")
            }
            // A table panel on its own: its type and place are implied.
            guard case .mapping(var tm) = tn else {
                throw error(tn, "expected `table` as a table panel (with `key` and `columns`)")
            }
            if tm["title"] == nil { tm["title"] = Node(title) }
            if tm["type"] == nil { tm["type"] = Node("table") }
            if tm["grid"] == nil, tm["gridPos"] == nil, let grid = try? Yams.compose(yaml: "{x: 0, y: 0, w: 24, h: 30}")
            {
                tm["grid"] = grid
            }
            let table = try panel(.mapping(tm))
            guard table.kind == .table else { throw error(tn, "a drill-down's `table` must be a table (type: table)") }
            return Drilldown(dashboard: "", variables: [:], table: [table])
        }
        let board = try string(m["dashboard"], required: true, key: "dashboard", parent: node)!
        var vars: [String: String] = [:]
        if let vn = m["variables"] {
            for (k, v) in try mapping(vn, what: "a mapping of variable name to row label, like {node: node}") {
                vars[k] = try string(v, key: k)
            }
        }
        return Drilldown(dashboard: board, variables: vars)
    }

    func variable(_ node: Node) throws -> Variable {
        let m = try mapping(node, what: "a variable (a mapping with `name` and `kind`)")
        try allowOnly(
            m,
            [
                "name", "label", "kind", "query", "values", "regex", "multi", "includeAll", "allValue", "current",
                "hidden", "datasource",
            ],
            in: "a variable", node: node)
        let name = try string(m["name"], required: true, key: "name", parent: node)!
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw error(m["name"], "variable name \"\(name)\" should be letters, digits and _ only")
        }
        let kindText = try string(m["kind"], key: "kind") ?? "query"
        guard let kind = Variable.Kind(rawValue: kindText) else {
            throw error(
                m["kind"],
                "unknown variable kind \"\(kindText)\" (expected one of: \(Variable.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        var query = try string(m["query"], key: "query") ?? ""
        if let vs = m["values"] {
            query = try sequence(vs, what: "a list of values").compactMap { try string($0, key: "values") }.joined(
                separator: ",")
        }
        if query.isEmpty && kind != .textbox { throw error(node, "variable `\(name)` needs `query` (or `values`)") }
        var current: [String] = []
        if let c = m["current"] {
            if case .sequence(let s) = c {
                current = try s.compactMap { try string($0, key: "current") }
            } else if let one = try string(c, key: "current") {
                current = [one]
            }
        }
        return Variable(
            name: name, label: try string(m["label"], key: "label"), kind: kind, query: query,
            regex: try string(m["regex"], key: "regex"),
            multi: try bool(m["multi"], key: "multi") ?? false,
            includeAll: try bool(m["includeAll"], key: "includeAll") ?? false,
            allValue: try string(m["allValue"], key: "allValue"), current: current,
            hidden: try bool(m["hidden"], key: "hidden") ?? (kind == .constant),
            datasource: try datasource(m["datasource"]))
    }
}
