import Dashboards
import Query
import Testing

@Suite struct VariableTests {
    let values = VariableValues(
        values: ["node": ["node-01"], "namespace": ["kube-system", "web.prod"], "nodes_total": ["12"]],
        regexNames: ["namespace"])

    @Test func expandsEveryGrafanaSpelling() {
        #expect(values.expand(#"x{node="$node"}"#, format: .promql) == #"x{node="node-01"}"#)
        #expect(values.expand(#"x{node="${node}"}"#, format: .promql) == #"x{node="node-01"}"#)
        #expect(values.expand(#"x{node="[[node]]"}"#, format: .promql) == #"x{node="node-01"}"#)
        #expect(values.expand("$nodes_total and $node", format: .text) == "12 and node-01")
        #expect(values.expand("$unknown stays", format: .promql) == "$unknown stays")
    }

    @Test func multiValuesBecomeAnEscapedRegexInPromQLAndAListInTitles() {
        #expect(
            values.expand(#"x{namespace=~"$namespace"}"#, format: .promql)
                == #"x{namespace=~"(kube-system|web\\.prod)"}"#)
        #expect(values.expand("Pods in $namespace", format: .text) == "Pods in kube-system + web.prod")
        #expect(values.expand("${namespace:csv}", format: .promql) == "kube-system,web.prod")
    }

    @Test func builtinsFollowTheStepAndRange() {
        let b = VariableValues.builtins(step: 30_000, range: 3_600_000, scrapeInterval: 15_000)
        let v = VariableValues()
        #expect(
            v.expand("rate(x[$__rate_interval]) $__interval $__range", format: .promql, extra: b)
                == "rate(x[1m]) 30s 1h")
    }

    @Test func variablesAndNewPanelFieldsParseFromYAML() throws {
        let yaml = """
            title: Node
            datasource: local
            variables:
              - {name: node, kind: query, query: "label_values(kubeglass_node_info, node)"}
              - {name: window, kind: interval, values: [1m, 5m]}
            panels:
              - title: CPU of $node
                type: timeseries
                grid: {x: 0, y: 0, w: 24, h: 8}
                stack: true
                maxSeries: 5
                legendOptions: {mode: table, values: [last, max], sortBy: max}
                expr: kubeglass_node_cpu_usage_cores{node="$node"}
              - title: Pods
                type: table
                grid: {x: 0, y: 8, w: 24, h: 8}
                key: [namespace, pod]
                drilldown: {dashboard: pod, variables: {pod: pod, namespace: namespace}}
                columns: [{title: Pod, label: pod}]
              - title: More
                type: row
                grid: {x: 0, y: 16, w: 24, h: 1}
                collapsed: true
                panels:
                  - {title: Events, type: events, grid: {x: 0, y: 17, w: 24, h: 6}}
            """
        let d = try DashboardFile.parse(yaml: yaml, file: "node.yaml", name: "node")
        #expect(d.variables.map(\.name) == ["node", "window"])
        #expect(d.variables[1].staticOptions == ["1m", "5m"])
        #expect(d.datasource == .local)
        #expect(
            d.panels[0].stack && d.panels[0].maxSeries == 5 && d.panels[0].legend.table
                && d.panels[0].legend.sortBy == .max)
        #expect(
            d.panels[1].drilldown == Drilldown(dashboard: "pod", variables: ["pod": "pod", "namespace": "namespace"]))
        #expect(d.panels[2].kind == .row && d.panels[2].collapsed && d.panels[2].children.first?.kind == .events)
    }

    @Test func aBadVariableNamesTheFileAndLine() {
        let yaml = "title: X\nvariables:\n  - {name: node, kind: bogus, query: q}\npanels: []\n"
        #expect(throws: DashboardFileError.self) { try DashboardFile.parse(yaml: yaml, file: "x.yaml", name: "x") }
        do {
            _ = try DashboardFile.parse(yaml: yaml, file: "x.yaml", name: "x")
        } catch {
            #expect("\(error)".hasPrefix("x.yaml:3:"))
            #expect("\(error)".contains("unknown variable kind \"bogus\""))
        }
    }
}
