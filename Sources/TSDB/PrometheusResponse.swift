import Foundation
import KubeglassCore
import Query

/// Reads Prometheus HTTP API answers: the `{"status": …, "data": …}` envelope and the
/// `data` of query, query_range, label, series and metadata calls.
enum PrometheusResponse {
    /// The `data` member of a successful answer, or the server's error. `server` names it in errors.
    static func data(_ response: TSDBResponse, server: String, what: String) throws(PrometheusError) -> Any {
        let json = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        guard let object = json as? [String: Any], let status = object["status"] as? String else {
            if response.status >= 400 {
                throw PrometheusError(
                    .http(status: response.status),
                    "\(server) answered HTTP \(response.status) \(response.reason) to \(what) without a Prometheus JSON body (is it starting, overloaded, or behind a proxy that failed? try again later)"
                )
            }
            throw PrometheusError(
                .malformed,
                "\(server) sent an answer to \(what) that is not Prometheus API JSON (is the URL a Prometheus server, without a path such as /graph?)"
            )
        }
        if status == "error" {
            let type = object["errorType"] as? String ?? "unknown"
            let text = object["error"] as? String ?? ""
            // VictoriaMetrics' errorType is the HTTP status (`422`), not Prometheus' word.
            let shown =
                !type.isEmpty && type.allSatisfy(\.isASCII) && type.allSatisfy(\.isNumber) ? "HTTP \(type)" : type
            throw PrometheusError(
                .server, "\(server) refused \(what) (\(shown)): \(text)", errorType: type, error: text)
        }
        guard status == "success", let data = object["data"] else {
            throw PrometheusError(
                .malformed,
                "\(server) sent an answer to \(what) with status \"\(status)\" and no data (is the URL a Prometheus server?)"
            )
        }
        return data
    }

    /// `{"resultType": "matrix", "result": [...]}` into a QueryValue.
    static func queryValue(_ data: Any) -> QueryValue? {
        guard let object = data as? [String: Any], let type = object["resultType"] as? String,
            let result = object["result"]
        else { return nil }
        switch type {
        case "matrix":
            guard let items = result as? [[String: Any]] else { return nil }
            var series: [Series] = []
            series.reserveCapacity(items.count)
            for item in items {
                guard let labels = labels(item["metric"]), let values = item["values"] as? [Any] else { return nil }
                var samples: [Sample] = []
                samples.reserveCapacity(values.count)
                for value in values {
                    guard let p = point(value) else { return nil }
                    samples.append(Sample(time: p.time, value: p.value))
                }
                series.append(Series(labels: labels, samples: samples))
            }
            return .matrix(series)
        case "vector":
            guard let items = result as? [[String: Any]] else { return nil }
            var samples: [VectorSample] = []
            samples.reserveCapacity(items.count)
            for item in items {
                guard let labels = labels(item["metric"]), let p = point(item["value"] as Any) else { return nil }
                samples.append(VectorSample(labels: labels, time: p.time, value: p.value))
            }
            return .vector(samples)
        case "scalar":
            guard let p = point(result) else { return nil }
            return .scalar(p.time, p.value)
        case "string":
            guard let pair = result as? [Any], pair.count == 2, let t = time(pair[0]), let s = pair[1] as? String else {
                return nil
            }
            return .string(t, s)
        default:
            return nil
        }
    }

    static func labels(_ any: Any?) -> Labels? {
        guard let dictionary = any as? [String: Any] else { return nil }
        var pairs: [Label] = []
        pairs.reserveCapacity(dictionary.count)
        for (name, value) in dictionary {
            guard let text = value as? String else { return nil }
            pairs.append(Label(name, text))
        }
        return Labels(pairs)
    }

    /// `[1700000000.123, "0.25"]`: seconds as a JSON number, the value as a string (NaN and ±Inf included).
    static func point(_ any: Any) -> (time: Timestamp, value: Double)? {
        guard let pair = any as? [Any], pair.count == 2, let t = time(pair[0]), let text = pair[1] as? String,
            let v = number(text)
        else { return nil }
        return (t, v)
    }

    static func time(_ any: Any) -> Timestamp? {
        if let n = any as? NSNumber { return Timestamp((n.doubleValue * 1000).rounded()) }
        if let s = any as? String, let d = Double(s) { return Timestamp((d * 1000).rounded()) }
        return nil
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }

    static func strings(_ data: Any) -> [String]? {
        data as? [String]
    }
}

/// What `/api/v1/metadata` says about one metric.
public struct PrometheusMetricMetadata: Sendable, Hashable {
    public var type: String
    public var help: String
    public var unit: String
}
