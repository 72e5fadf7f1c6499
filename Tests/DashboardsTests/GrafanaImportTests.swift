import Dashboards
import Foundation
import KubeglassCore
import Query
import Testing

/// Grafana features the reference dashboards do not use, each in a small hand-written dashboard.
struct GrafanaImportTests {
    func load(_ json: String, name: String = "test") throws -> GrafanaImport.Result {
        try GrafanaImport.parse(json: Data(json.utf8), file: "\(name).json", name: name)
    }

    @Test func brokenJSONNamesTheFileLineAndColumn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(getpid()).json").path
        try Data("{\n  \"title\": \"x\",\n  \"panels\": [ {\"type\": \"graph\",, } ]\n}\n".utf8).write(
            to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: DashboardFileError.self) { try GrafanaImport.load(path: path) }
        #expect(error.file == path && error.line == 3 && error.column == 32)
        #expect(error.description.hasPrefix("\(path):3:32: not valid JSON: expected a quoted key"))

        let trailing = try #require(throws: DashboardFileError.self) { try load("{\"panels\": [1, 2,\n]}") }
        #expect(trailing.line == 2 && trailing.column == 1 && trailing.message.contains("expected a value, found ']'"))
        let unclosed = try #require(throws: DashboardFileError.self) { try load("{\"title\": \"abc") }
        #expect(unclosed.line == 1 && unclosed.column == 11 && unclosed.message.contains("no closing quote"))
    }

    @Test func aDashboardWithoutPanelsOrRowsIsAClearError() throws {
        let error = try #require(throws: DashboardFileError.self) { try load("{\"title\": \"nothing\"}") }
        #expect(error.message.contains("neither `panels` nor `rows`"))
        let list = try #require(throws: DashboardFileError.self) { try load("[1, 2]") }
        #expect(list.message.contains("expected a Grafana dashboard"))
    }

    @Test func collapsedRowsKeepTheirPanelsAndUnsupportedPanelsSayWhy() throws {
        let d = try load(
            """
            {"title": "Rows", "time": {"from": "now-6h", "to": "now"}, "refresh": "30s",
             "panels": [
              {"type": "state-timeline", "title": "Latency", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}, "targets": [{"expr": "x"}]},
              {"type": "grafana-worldmap-panel", "title": "Map", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}},
              {"type": "row", "title": "Details", "collapsed": true, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1},
               "panels": [{"type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 9, "w": 6, "h": 4},
                           "targets": [{"expr": "up", "refId": "A"}, {"expr": "down", "refId": "B", "hide": true}],
                           "options": {"graphMode": "area"}}]},
              {"type": "graph", "title": "Hidden", "gridPos": {"x": 0, "y": 9, "w": 24, "h": 6}, "targets": [{"expr": "x", "hide": true}]}
             ]}
            """
        ).dashboard
        #expect(d.timeRange == 6 * Milliseconds.hour && d.refresh == 30_000)
        #expect(d.panels.map(\.kind) == [.unsupported, .unsupported, .row, .unsupported])
        #expect(
            d.panels[0].text == "kubeglass cannot draw a state-timeline panel"
                && d.panels[0].gridPos == GridPos(x: 0, y: 0, w: 12, h: 8))
        #expect(d.panels[1].text == "kubeglass cannot draw the plugin panel grafana-worldmap-panel")
        #expect(d.panels[2].collapsed && d.panels[2].children.map(\.title) == ["Up"])
        let up = d.panels[2].children[0]
        #expect(up.kind == .stat && up.sparkline && up.targets.map(\.expr) == ["up"], "the hidden target is skipped")
        #expect(d.panels[3].text == "every query of this panel is hidden in Grafana")
    }

    @Test func datasourcesInEverySpelling() throws {
        let result = try load(
            """
            {"__inputs": [{"name": "DS_PROM", "pluginId": "prometheus", "type": "datasource"}],
             "templating": {"list": [{"name": "influx", "type": "datasource", "query": "influxdb"}]},
             "panels": [
              {"type": "timeseries", "title": "A", "datasource": "${DS_PROM}", "gridPos": {"x": 0, "y": 0, "w": 8, "h": 4}, "targets": [{"expr": "a"}]},
              {"type": "timeseries", "title": "B", "datasource": {"type": "prometheus", "uid": "abc"}, "gridPos": {"x": 8, "y": 0, "w": 8, "h": 4}, "targets": [{"expr": "b"}]},
              {"type": "timeseries", "title": "C", "datasource": "$influx", "gridPos": {"x": 16, "y": 0, "w": 8, "h": 4},
               "targets": [{"query": "SELECT mean(value) FROM cpu WHERE $timeFilter", "rawQuery": true, "alias": "cpu"}]},
              {"type": "timeseries", "title": "D", "datasource": "-- Mixed --", "gridPos": {"x": 0, "y": 4, "w": 8, "h": 4},
               "targets": [{"datasource": {"type": "prometheus", "uid": "x"}, "expr": "d"}]},
              {"type": "timeseries", "title": "E", "datasource": {"type": "loki", "uid": "l"}, "gridPos": {"x": 8, "y": 4, "w": 8, "h": 4}, "targets": [{"expr": "{app=\\"x\\"}"}]},
              {"type": "text", "title": "F", "datasource": "-- Grafana --", "gridPos": {"x": 16, "y": 4, "w": 8, "h": 4}, "options": {"content": "# Hello\\nworld"}}
             ]}
            """)
        let d = result.dashboard
        #expect(d.datasource == .prometheus)
        #expect(d.panels.map(\.datasource) == [nil, nil, .influxdb, nil, nil, nil])
        #expect(
            d.panels[2].targets == [Target(expr: "SELECT mean(value) FROM cpu WHERE $timeFilter", legend: "cpu")],
            "rawQuery: the query as written")
        #expect(d.panels[4].kind == .unsupported && d.panels[4].text?.contains("loki") == true)
        #expect(d.panels[5].kind == .text && d.panels[5].text == "# Hello\nworld")
        #expect(d.title == "test", "no title: the file's name")
    }

    @Test func legacyRowsSpansHeightsLegendAndSinglestat() throws {
        let result = try load(
            """
            {"dashboard": {"title": "Old", "rows": [
              {"title": "Top", "showTitle": true, "height": "300px", "panels": [
                {"type": "singlestat", "title": "Pods", "span": 3, "format": "percent", "thresholds": "70,90",
                 "colors": ["rgba(50, 172, 45, 0.97)", "rgba(237, 129, 40, 0.89)", "rgba(245, 54, 54, 0.9)"],
                 "sparkline": {"show": true}, "targets": [{"expr": "count(kube_pod_info)"}]},
                {"type": "graph", "title": "CPU", "span": 9, "stack": true, "yaxes": [{"format": "decbytes", "min": "0"}, {"format": "short"}],
                 "legend": {"show": true, "values": true, "current": true, "max": true, "alignAsTable": true, "sort": "max", "sortDesc": true},
                 "thresholds": [{"value": 5, "colorMode": "warning", "op": "gt"}, {"value": 9, "colorMode": "critical", "op": "gt"}],
                 "targets": [{"expr": "sum(rate(x[5m]))", "legendFormat": "{{pod}}"}]},
                {"type": "graph", "title": "Wrapped", "span": 6, "targets": [{"expr": "y"}], "y_formats": ["wat", "short"]}
              ]},
              {"title": "Folded", "collapse": true, "panels": [{"type": "graph", "title": "Inside", "span": 12, "targets": [{"expr": "z"}]}]},
              {"title": "After", "panels": [{"type": "piechart", "title": "Pie", "span": 12}]}
            ]}}
            """)
        let d = result.dashboard
        #expect(d.panels.map(\.title) == ["Top", "Pods", "CPU", "Wrapped", "Folded", "After", "Pie"])
        #expect(
            d.panels.map(\.gridPos) == [
                GridPos(x: 0, y: 0, w: 24, h: 1), GridPos(x: 0, y: 1, w: 6, h: 8), GridPos(x: 6, y: 1, w: 18, h: 8),
                GridPos(x: 0, y: 9, w: 12, h: 8), GridPos(x: 0, y: 17, w: 24, h: 1),
                GridPos(x: 0, y: 18, w: 24, h: 1), GridPos(x: 0, y: 19, w: 24, h: 7),
            ], "300 px → 8 grid rows, the default 250 px → 7")
        #expect(d.panels[4].collapsed && d.panels[4].children.map(\.gridPos) == [GridPos(x: 0, y: 18, w: 24, h: 7)])
        let pods = d.panels[1]
        #expect(pods.kind == .stat && pods.unit == .percent && pods.sparkline)
        #expect(
            pods.thresholds == [
                ThresholdStep(value: nil, color: "ok"), ThresholdStep(value: 70, color: "warning"),
                ThresholdStep(value: 90, color: "critical"),
            ])
        let cpu = d.panels[2]
        #expect(cpu.stack && cpu.unit == .decbytes && cpu.min == 0 && cpu.thresholdLines)
        #expect(
            cpu.legend
                == LegendOptions(show: true, table: true, values: [.last, .max], sortBy: .max, sortDescending: true))
        #expect(
            cpu.thresholds.map(\.value) == [nil, 5, 9] && cpu.thresholds.map(\.color) == ["ok", "warning", "critical"])
        #expect(cpu.targets.first?.legend == "{{pod}}")
        #expect(
            d.panels[3].unit == .short
                && result.notes.contains { $0.contains("unit \"wat\"") && $0.contains("\"Wrapped\"") })
        #expect(d.panels[6].kind == .unsupported && d.panels[6].text == "this panel has no queries")
    }

    @Test func variablesOfEveryKind() throws {
        let result = try load(
            """
            {"panels": [], "templating": {"list": [
              {"name": "ds", "type": "datasource", "query": "prometheus"},
              {"name": "namespace", "type": "query", "datasource": "$ds", "query": {"query": "label_values(kube_pod_info, namespace)", "refId": "x"},
               "multi": true, "includeAll": true, "allValue": null, "current": {"text": ["All"], "value": ["$__all"]}, "regex": "/^kube-(.*)$/"},
              {"name": "pod", "label": "Pod", "type": "query", "definition": "label_values(kube_pod_info{namespace=~\\"$namespace\\"}, pod)", "query": "",
               "current": {"text": "a + b", "value": ["a", "b"]}},
              {"name": "size", "type": "custom", "query": "small, medium,large", "hide": 1},
              {"name": "picked", "type": "custom", "options": [{"value": "x"}, {"value": "y"}]},
              {"name": "step", "type": "interval", "query": "1m,5m,1h", "auto": true},
              {"name": "job", "type": "constant", "query": "node-exporter", "hide": 2},
              {"name": "text", "type": "textbox", "query": ""},
              {"name": "filters", "type": "adhoc"},
              {"name": "bad-name", "type": "custom", "query": "a"}
            ]}}
            """)
        let v = result.dashboard.variables
        #expect(v.map(\.name) == ["namespace", "pod", "size", "picked", "step", "job", "text"])
        #expect(
            v[0]
                == Variable(
                    name: "namespace", kind: .query, query: "label_values(kube_pod_info, namespace)",
                    regex: "^kube-(.*)$",
                    multi: true, includeAll: true, current: [Variable.all]))
        #expect(
            v[1].query == "label_values(kube_pod_info{namespace=~\"$namespace\"}, pod)" && v[1].label == "Pod"
                && v[1].current == ["a", "b"])
        #expect(
            v[2].kind == .custom && v[2].query == "small,medium,large" && !v[2].hidden, "hide: 1 hides the label only")
        #expect(v[3].query == "x,y")
        #expect(v[4].kind == .interval && v[4].staticOptions == ["auto", "1m", "5m", "1h"])
        #expect(v[5].kind == .constant && v[5].hidden && v[5].query == "node-exporter")
        #expect(v[6].kind == .textbox)
        #expect(result.notes.contains { $0.contains("ad hoc filter $filters") })
        #expect(result.notes.contains { $0.contains("\"bad-name\"") })
        #expect(result.dashboard.datasource == .prometheus)
    }

    @Test func repeatsAndLinksAreNotedNotExpanded() throws {
        let result = try load(
            """
            {"links": [{"title": "docs"}], "panels": [
              {"type": "timeseries", "title": "Per node", "repeat": "node", "links": [{"url": "http://x"}],
               "gridPos": {"x": 0, "y": 0, "w": 30, "h": 0}, "targets": [{"expr": "a"}],
               "fieldConfig": {"defaults": {"unit": "bytes", "decimals": 1, "min": 0, "max": 10, "custom": {"stacking": {"mode": "normal"}, "thresholdsStyle": {"mode": "line"}},
                 "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "#EAB839", "value": 5}, {"color": "dark-red", "value": 8}]}}},
               "options": {"legend": {"displayMode": "list", "calcs": ["mean", "max", "stdDev"], "sortBy": "Mean", "sortDesc": false}}}
            ]}
            """)
        let p = try #require(result.dashboard.panels.first)
        #expect(result.dashboard.panels.count == 1, "a repeat is shown once")
        #expect(p.gridPos == GridPos(x: 0, y: 0, w: 24, h: 1))
        #expect(p.unit == .bytes && p.decimals == 1 && p.min == 0 && p.max == 10 && p.stack && p.thresholdLines)
        #expect(p.thresholds.map(\.color) == ["ok", "warning", "critical"])
        #expect(
            p.legend
                == LegendOptions(show: true, table: false, values: [.avg, .max], sortBy: .avg, sortDescending: false))
        let notes = result.notes.joined(separator: "\n")
        #expect(notes.contains("repeats for each value of $node"))
        #expect(notes.contains("panel links are not kept") && notes.contains("dashboard's links"))
        #expect(notes.contains("stdDev"))
        #expect(notes.contains("moved onto the 24-column grid"))
    }

    @Test func heatmapsPieChartsAndBarChartsBecomeOurs() throws {
        let d = try load(
            """
            {"panels": [
              {"type": "heatmap", "title": "Latency", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
               "options": {"yAxis": {"unit": "s"}},
               "targets": [{"expr": "sum by (le) (rate(http_request_duration_seconds_bucket[5m]))", "format": "heatmap",
                            "legendFormat": "{{le}}"}]},
              {"type": "grafana-piechart-panel", "title": "Pods by phase", "gridPos": {"x": 12, "y": 0, "w": 6, "h": 8},
               "targets": [{"expr": "sum by (phase) (kube_pod_status_phase)", "legendFormat": "{{phase}}"}]},
              {"type": "piechart", "title": "CPU by namespace", "gridPos": {"x": 18, "y": 0, "w": 6, "h": 8},
               "fieldConfig": {"defaults": {"unit": "cores"}},
               "targets": [{"expr": "sum by (namespace) (rate(cpu[5m]))"}]},
              {"type": "barchart", "title": "Restarts", "gridPos": {"x": 0, "y": 8, "w": 24, "h": 8},
               "targets": [{"expr": "sum by (namespace) (kube_pod_container_status_restarts_total)"}]},
              {"type": "piechart", "title": "Empty", "gridPos": {"x": 0, "y": 16, "w": 6, "h": 4}}
             ]}
            """
        ).dashboard
        #expect(d.panels.map(\.kind) == [.heatmap, .piechart, .piechart, .barchart, .unsupported])
        #expect(d.panels[0].unit == DisplayUnit(grafanaID: "s"), "the heatmap's unit is its y axis'")
        #expect(d.panels[0].targets.first?.legend == "{{le}}")
        #expect(d.panels[2].unit == DisplayUnit(grafanaID: "cores"))
        #expect(d.panels[3].targets.map(\.expr) == ["sum by (namespace) (kube_pod_container_status_restarts_total)"])
        #expect(d.panels[4].text == "this panel has no queries")
        // Written as our YAML and read back, each keeps its kind.
        let back = try DashboardFile.parse(yaml: DashboardWriter.yaml(d), file: "x.yaml", name: "x")
        #expect(back.panels.map(\.kind) == d.panels.map(\.kind))
    }

    @Test func tableOverridesAndCellModesColourColumns() throws {
        let d = try load(
            """
            {"panels": [
              {"type": "table", "title": "Nodes", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 8},
               "fieldConfig": {"defaults": {"thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "red", "value": 80}]}},
                "overrides": [
                 {"matcher": {"id": "byName", "options": "Mem%"}, "properties": [
                   {"id": "thresholds", "value": {"mode": "absolute", "steps": [
                     {"color": "transparent", "value": null}, {"color": "orange", "value": 75}, {"color": "dark-red", "value": 90}]}},
                   {"id": "custom.cellOptions", "value": {"type": "color-text"}}]},
                 {"matcher": {"id": "byName", "options": "Value #A"}, "properties": [{"id": "displayName", "value": "CPU"}]}]},
               "targets": [{"expr": "sum by (node) (cpu)", "refId": "A", "instant": true, "format": "table"},
                           {"expr": "sum by (node) (mem)", "refId": "B", "instant": true, "format": "table"}],
               "transformations": [{"id": "organize", "options": {"renameByName": {"Value #B": "Mem%"}}}]},
              {"type": "table", "title": "Colour all", "gridPos": {"x": 0, "y": 8, "w": 24, "h": 8},
               "fieldConfig": {"defaults": {"custom": {"cellOptions": {"type": "color-background"}},
                "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "red", "value": 1}]}}},
               "targets": [{"expr": "sum by (pod) (restarts)", "refId": "A"}]},
              {"type": "table-old", "title": "Old", "gridPos": {"x": 0, "y": 16, "w": 24, "h": 8},
               "styles": [{"pattern": "Value", "colorMode": "cell", "thresholds": ["1", "5"],
                           "colors": ["rgba(50, 172, 45, 0.97)", "rgba(237, 129, 40, 0.89)", "rgba(245, 54, 54, 0.9)"]}],
               "targets": [{"expr": "sum by (pod) (restarts)", "refId": "A"}]}
             ]}
            """
        ).dashboard
        let nodes = d.panels[0]
        #expect(nodes.columns.map(\.title) == ["node", "CPU", "Mem%"])
        #expect(nodes.columns[1].thresholds.isEmpty, "the panel's thresholds colour no cells in the default cell mode")
        #expect(
            nodes.columns[2].thresholds == [
                ThresholdStep(value: nil, color: "transparent"), ThresholdStep(value: 75, color: "warning"),
                ThresholdStep(value: 90, color: "critical"),
            ])
        #expect(d.panels[1].columns[1].thresholds.map(\.value) == [nil, 1])
        #expect(d.panels[2].columns[1].thresholds.map(\.color) == ["ok", "warning", "critical"])
        #expect(d.panels[2].columns[1].thresholds.map(\.value) == [nil, 1, 5])
        // Our YAML keeps a column's thresholds.
        let back = try DashboardFile.parse(yaml: DashboardWriter.yaml(d), file: "x.yaml", name: "x")
        #expect(back.panels[0].columns[2].thresholds == nodes.columns[2].thresholds)
    }
}
