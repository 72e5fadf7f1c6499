import Foundation
import KubeglassCore
import Query

/// A dashboard's variables with their options and selection at one moment: what the picker lists,
/// and the values queries and titles are expanded with.
public struct ResolvedVariables: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var variable: Variable
        /// Every value the variable can take now (without "All").
        public var options: [String]
        /// The chosen values, or [Variable.all].
        public var selection: [String]
        /// Why the options could not be listed (the datasource failed).
        public var error: String?

        public init(variable: Variable, options: [String], selection: [String], error: String? = nil) {
            self.variable = variable
            self.options = options
            self.selection = selection
            self.error = error
        }

        public var isAll: Bool { selection == [Variable.all] }
        /// What a person reads: `node-01`, `All`, `a + b`.
        public var selectionText: String {
            isAll ? "All" : selection.isEmpty ? "none" : selection.joined(separator: " + ")
        }
    }

    public var entries: [Entry] = []
    public init(entries: [Entry] = []) { self.entries = entries }

    public subscript(name: String) -> Entry? { entries.first { $0.variable.name == name } }

    /// The values queries and titles are expanded with.
    public var values: VariableValues {
        var out = VariableValues()
        for e in entries {
            let v = e.variable
            if e.isAll {
                out.values[v.name] = v.allValue.map { [$0] } ?? (e.options.isEmpty ? [".*"] : e.options)
            } else {
                out.values[v.name] = e.selection
            }
            // All with an allValue is a raw regex already; everything multi-valued becomes one.
            if v.multi || v.includeAll { out.regexNames.insert(v.name) }
            if e.isAll, v.allValue != nil { out.regexNames.remove(v.name) }
        }
        return out
    }

    /// The values titles are written with: All reads "All", not every value.
    public var displayValues: VariableValues {
        var out = values
        for e in entries where e.isAll { out.values[e.variable.name] = ["All"] }
        return out
    }

    /// The current selection of each variable, to keep across a re-resolve or carry to another dashboard.
    public var selections: [String: [String]] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.variable.name, $0.selection) })
    }
}

/// Lists each variable's options from its datasource, in order (a variable may use the ones before it:
/// `$pod` lists the pods of `$namespace`), and keeps each selection that is still possible.
public enum VariableResolver {
    /// `previous`: the last resolution, whose options stand in when the datasource cannot list them now.
    public static func resolve(
        _ dashboard: Dashboard, evaluator: PanelEvaluator, now: Timestamp,
        selections: [String: [String]] = [:], previous: ResolvedVariables? = nil
    ) async -> ResolvedVariables {
        var resolved = ResolvedVariables()
        for variable in dashboard.variables {
            var entry = ResolvedVariables.Entry(variable: variable, options: [], selection: [])
            switch variable.kind {
            case .query:
                let query = resolved.values.expand(variable.query, format: .promql)
                let probe = Panel(
                    title: variable.name, kind: .table, gridPos: GridPos(x: 0, y: 0, w: 1, h: 1),
                    datasource: variable.datasource)
                switch evaluator.backend(for: probe, on: dashboard) {
                case .success(let backend):
                    do {
                        entry.options = filter(try await backend.variableValues(query, at: now), regex: variable.regex)
                    } catch {
                        entry.error = "\(error)"
                    }
                case .failure(let e):
                    entry.error = e.message
                }
            case .textbox:
                entry.options = []
            default:
                entry.options = filter(variable.staticOptions, regex: variable.regex)
            }
            let wanted = selections[variable.name] ?? variable.current
            if entry.error != nil {
                // A datasource that is down keeps what was listed and chosen before.
                entry.options = previous?[variable.name]?.options ?? []
                if entry.options.isEmpty && !wanted.isEmpty {
                    entry.selection = wanted
                    resolved.entries.append(entry)
                    continue
                }
            }
            entry.selection = choose(variable, options: entry.options, wanted: wanted)
            resolved.entries.append(entry)
        }
        return resolved
    }

    /// Keeps the wanted values that are still options (all of them while there are no options yet);
    /// else All (when allowed) or the first option.
    static func choose(_ v: Variable, options: [String], wanted: [String]) -> [String] {
        if v.kind == .textbox { return wanted.isEmpty ? [v.query] : Array(wanted.prefix(1)) }
        if v.kind == .constant { return [v.query] }
        if wanted == [Variable.all] || wanted == ["All"], v.includeAll { return [Variable.all] }
        // Nothing listed yet (a store before its first poll): keep what was asked for (`--var`, a drill-down).
        if options.isEmpty && !wanted.isEmpty { return v.multi ? wanted : Array(wanted.prefix(1)) }
        let kept = wanted.filter(options.contains)
        if !kept.isEmpty { return v.multi ? kept : [kept[0]] }
        if v.includeAll && (v.multi || options.isEmpty) { return [Variable.all] }
        if let first = options.first { return [first] }
        return v.includeAll ? [Variable.all] : []
    }

    /// Grafana's variable regex: values that match; with a capture group, the captured part.
    static func filter(_ values: [String], regex: String?) -> [String] {
        guard var pattern = regex, !pattern.isEmpty else { return values }
        if pattern.hasPrefix("/"), let last = pattern.lastIndex(of: "/"), last != pattern.startIndex {
            pattern = String(pattern[pattern.index(after: pattern.startIndex)..<last])
        }
        guard let re = try? NSRegularExpression(pattern: pattern) else { return values }
        var out: [String] = []
        var seen = Set<String>()
        for v in values {
            let range = NSRange(v.startIndex..., in: v)
            guard let m = re.firstMatch(in: v, range: range) else { continue }
            var kept = v
            if m.numberOfRanges > 1, let r = Range(m.range(at: 1), in: v) { kept = String(v[r]) }
            if seen.insert(kept).inserted { out.append(kept) }
        }
        return out
    }
}
