import Foundation
import KubeglassCore

extension QueryValue {
    /// The `data` object of Prometheus' `/api/v1/query` and `/api/v1/query_range` responses:
    /// `{"resultType":"vector","result":[{"metric":{…},"value":[1700000000.123,"0.25"]}]}`.
    public func prometheusJSONData() -> Data {
        Data(prometheusJSON().utf8)
    }

    public func prometheusJSON() -> String {
        var out = "{\"resultType\":\"\(resultType)\",\"result\":"
        switch self {
        case .scalar(let t, let v):
            out += Self.point(t, PromQLNumber.format(v))
        case .string(let t, let s):
            out += Self.point(t, s)
        case .vector(let samples):
            out += "["
            for (i, s) in samples.enumerated() {
                if i > 0 { out += "," }
                out +=
                    "{\"metric\":\(Self.metric(s.labels)),\"value\":\(Self.point(s.time, PromQLNumber.format(s.value)))}"
            }
            out += "]"
        case .matrix(let series):
            out += "["
            for (i, s) in series.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":\(Self.metric(s.labels)),\"values\":["
                for (j, p) in s.samples.enumerated() {
                    if j > 0 { out += "," }
                    out += Self.point(p.time, PromQLNumber.format(p.value))
                }
                out += "]}"
            }
            out += "]"
        }
        return out + "}"
    }

    /// `[seconds, "value"]`, the time written as Prometheus does: whole seconds, then up to three decimals.
    private static func point(_ t: Timestamp, _ value: String) -> String {
        "[\(timeText(t)),\(JSONText.quoted(value))]"
    }

    static func timeText(_ t: Timestamp) -> String {
        let sign = t < 0 ? "-" : ""
        let magnitude = t.magnitude
        let fraction = magnitude % 1000
        var out = "\(sign)\(magnitude / 1000)"
        if fraction != 0 {
            out += "."
            if fraction < 100 { out += "0" }
            if fraction < 10 { out += "0" }
            out += "\(fraction)"
        }
        return out
    }

    private static func metric(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\(JSONText.quoted($0.name)):\(JSONText.quoted($0.value))" }.joined(separator: ",")
            + "}"
    }
}
