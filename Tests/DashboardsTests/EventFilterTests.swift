import KubeglassCore
import Query
import Testing

@testable import Dashboards

struct EventFilterTests {
    let events = [
        ClusterEvent(
            time: 1, namespace: "shop", objectKind: "Pod", objectName: "web-1", reason: "BackOff", message: "m"),
        ClusterEvent(
            time: 3, namespace: "kube-system", objectKind: "Pod", objectName: "dns", reason: "Unhealthy", message: "m"),
        ClusterEvent(
            time: 2, namespace: "", objectKind: "Node", objectName: "node-3", reason: "EvictionThresholdMet",
            message: "m"),
    ]

    func names(_ text: String?, expr: String? = nil) -> [String] {
        let panel = Panel(
            title: "e", kind: .events, gridPos: GridPos(x: 0, y: 0, w: 24, h: 5),
            targets: expr.map { [Target(expr: $0)] } ?? [], text: text)
        return PanelData.events(from: events, matching: panel).events.map(\.objectName)
    }

    @Test func noFilterKeepsAllNewestFirst() {
        #expect(names(nil) == ["dns", "node-3", "web-1"])
        #expect(names("") == ["dns", "node-3", "web-1"])
        #expect(names(#"namespace="$__all""#) == ["dns", "node-3", "web-1"])
    }

    @Test func matchersAsInPromQL() {
        #expect(names(#"namespace="shop""#) == ["web-1"])
        #expect(names("kube-system") == ["dns"], "a bare word is a namespace")
        #expect(names(nil, expr: #"{namespace!="shop", kind="Pod"}"#) == ["dns"])
        #expect(names(#"kind="node" reason='EvictionThresholdMet'"#) == ["node-3"])
        #expect(names(#"colour="red""#) == ["dns", "node-3", "web-1"], "unknown keys are ignored")
        let panel = Panel(title: "e", kind: .events, gridPos: GridPos(x: 0, y: 0, w: 24, h: 5))
        #expect(PanelData.events(from: events, matching: panel, limit: 1).events.map(\.objectName) == ["dns"])
        #expect(PanelData.events(from: events, matching: panel).rowCount == 3)
    }
}
