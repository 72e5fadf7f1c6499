import KubeglassCore
import Testing

@testable import Query

@Suite struct PrometheusJSONTests {
    @Test(arguments: [
        (0.25, "0.25"), (1, "1"), (-0.0, "-0"), (0, "0"), (1e21, "1000000000000000000000"), (1e-7, "0.0000001"),
        (123456.789, "123456.789"), (1.5e16, "15000000000000000"), (.nan, "NaN"), (.infinity, "+Inf"),
        (-.infinity, "-Inf"),
        (0.1 + 0.2, "0.30000000000000004"), (100, "100"), (-42.5, "-42.5"),
        (Double.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
    ])
    func numbersAsGoFormatsThem(_ value: Double, _ text: String) {
        #expect(PromQLNumber.format(value) == text)
    }

    @Test func vectorJSON() {
        let v = QueryValue.vector([
            VectorSample(labels: Labels(name: "up", ["job": "a\"b"]), time: 1_700_000_000_123, value: 0.25),
            VectorSample(labels: Labels(["node": "n"]), time: 1_700_000_000_000, value: .nan),
        ])
        #expect(
            v.prometheusJSON()
                == #"{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a\"b"},"value":[1700000000.123,"0.25"]},{"metric":{"node":"n"},"value":[1700000000,"NaN"]}]}"#
        )
    }

    @Test func matrixScalarAndStringJSON() {
        let m = QueryValue.matrix([
            Series(labels: Labels(), samples: [Sample(time: 1500, value: 1), Sample(time: 2005, value: -.infinity)])
        ])
        #expect(
            m.prometheusJSON()
                == #"{"resultType":"matrix","result":[{"metric":{},"values":[[1.500,"1"],[2.005,"-Inf"]]}]}"#)
        #expect(QueryValue.scalar(1_000_050, 3).prometheusJSON() == #"{"resultType":"scalar","result":[1000.050,"3"]}"#)
        #expect(QueryValue.string(0, "a\nb").prometheusJSON() == #"{"resultType":"string","result":[0,"a\nb"]}"#)
        #expect(
            String(decoding: QueryValue.vector([]).prometheusJSONData(), as: UTF8.self)
                == #"{"resultType":"vector","result":[]}"#)
    }

    @Test func endToEndThroughTheEngine() throws {
        let e = PromQLEngine(store: makeStore([(Labels(name: "m", ["a": "1"]), [(10, 2)])]))
        let json = try e.instantQuery("m * 2", at: 10_500).prometheusJSON()
        #expect(json == #"{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[10.500,"4"]}]}"#)
    }
}
