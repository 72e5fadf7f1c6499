import Collectors
import KubeClient
import KubeglassCore
import Testing

struct KubeTopTests {
    static let mi: Int64 = 1024 * 1024

    /// Nodes as a recorded `kubectl top node` printed them (dangolk/k8-reference, metrics/metrics-output.md).
    static let recordedNodes = [
        NodeUsageRow(
            name: "ub18c2", cpuMillis: 213, memoryBytes: 2_241_856_487, allocatableCPUMillis: 1000,
            allocatableMemoryBytes: 6_226_444_288),
        NodeUsageRow(
            name: "ub18", cpuMillis: 354, memoryBytes: 2_815_438_905, allocatableCPUMillis: 2000,
            allocatableMemoryBytes: 6_253_707_264),
        NodeUsageRow(
            name: "ub18c1", cpuMillis: 180, memoryBytes: 2_353_004_545, allocatableCPUMillis: 1000,
            allocatableMemoryBytes: 6_191_841_280),
    ]

    @Test func nodesAsKubectl132PrintsThem() {
        #expect(
            KubeTop.nodes(Self.recordedNodes, headers: .bare) == """
                NAME     CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%   
                ub18     354m         17%    2685Mi          45%       
                ub18c1   180m         18%    2244Mi          38%       
                ub18c2   213m         21%    2138Mi          36%       

                """)
    }

    @Test func nodesWithTodaysHeadersSortedByCPUAndMemory() {
        #expect(
            KubeTop.nodes(Self.recordedNodes, sortBy: .cpu) == """
                NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   
                ub18     354m         17%      2685Mi          45%         
                ub18c2   213m         21%      2138Mi          36%         
                ub18c1   180m         18%      2244Mi          38%         

                """)
        #expect(
            KubeTop.nodes(Self.recordedNodes, sortBy: .memory, noHeaders: true) == """
                ub18     354m   17%   2685Mi   45%   
                ub18c1   180m   18%   2244Mi   38%   
                ub18c2   213m   21%   2138Mi   36%   

                """)
    }

    @Test func nodesFromMetricsAPIQuantities() throws {
        let row = NodeUsageRow(
            name: "minikube",
            cpu: try Quantity(parsing: "487558164n"),
            memory: try Quantity(parsing: "732212Ki"),
            allocatableCPU: try Quantity(parsing: "2"),
            allocatableMemory: try Quantity(parsing: "3936872Ki")
        )
        #expect(
            KubeTop.nodes([row]) == """
                NAME       CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   
                minikube   488m         24%      715Mi           18%         

                """)
    }

    @Test func nodesWithoutMetricsAreUnknownAndNodesWithoutAllocatableLoseThePercentages() {
        let rows = [
            NodeUsageRow(
                name: "a", cpuMillis: 100, memoryBytes: 50 * Self.mi, allocatableCPUMillis: 1000,
                allocatableMemoryBytes: 1000 * Self.mi),
            NodeUsageRow(
                name: "ghost", cpuMillis: 200, memoryBytes: 60 * Self.mi, allocatableCPUMillis: nil,
                allocatableMemoryBytes: nil),
        ]
        #expect(
            KubeTop.nodes(rows, withoutMetrics: ["zz-down", "a", "b-down"]) == """
                NAME      CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   
                a         100m         10%         50Mi            5%          
                ghost     200m         60Mi        
                b-down    <unknown>    <unknown>   <unknown>   <unknown>   
                zz-down   <unknown>    <unknown>   <unknown>   <unknown>   

                """,
            "ghost's short line ends the MEMORY(bytes) column block, so the <unknown> lines start a narrower one")
        #expect(KubeTop.nodes([], withoutMetrics: ["a"]) == "", "no metrics at all: kubectl prints no table")
    }

    @Test func percentagesUseGoFloatMathAndTruncate() {
        let q = { (m: Int64) in Quantity(milliValue: m) }
        #expect(
            KubeTop.percent(q(29), of: q(100)) == "28%", "29/100*100 is 28.999999999999996 in binary floating point")
        #expect(KubeTop.percent(q(999), of: q(1000)) == "99%")
        #expect(KubeTop.percent(q(3000), of: q(1000)) == "300%")
        #expect(KubeTop.percent(q(0), of: q(1000)) == "0%")
        #expect(KubeTop.percent(q(5), of: q(0)) == "-9223372036854775808%", "Go's int64(+Inf) on amd64")
        #expect(KubeTop.percent(q(0), of: q(0)) == "-9223372036854775808%")
    }

    @Test func cpuAndMemoryCells() throws {
        #expect(KubeTop.cpu(try Quantity(parsing: "9559630n")) == "10m")
        #expect(KubeTop.cpu(try Quantity(parsing: "1n")) == "1m")
        #expect(KubeTop.cpu(try Quantity(parsing: "0")) == "0m")
        #expect(KubeTop.memory(try Quantity(parsing: "22244Ki")) == "21Mi")
        #expect(KubeTop.memory(try Quantity(parsing: "1048575")) == "0Mi")
        #expect(KubeTop.memory(try Quantity(parsing: "1.5Gi")) == "1536Mi")
    }

    static func pod(_ namespace: String, _ name: String, _ millis: Int64, _ mib: Int64) -> PodUsageRow {
        PodUsageRow(
            namespace: namespace, name: name,
            containers: [.init(name: "main", cpuMillis: millis, memoryBytes: mib * mi + 4095)])
    }

    /// Pods as a recorded `kubectl top pod -A` printed them (same recording as the nodes).
    static let recordedPods = [
        pod("kube-system", "calico-kube-controllers-74677b4c5f-f4tpw", 4, 16),
        PodUsageRow(
            namespace: "kube-system", name: "calico-node-dqmh6",
            containers: [
                .init(name: "calico-node", cpuMillis: 30, memoryBytes: 80 * mi),
                .init(name: "install-cni", cpuMillis: 5, memoryBytes: 7 * mi + 1),
            ]),
        pod("default", "resource-consumer-pod", 100, 7),
        pod("kube-system", "kube-apiserver-ub18", 74, 343),
        pod("kube-system", "etcd-ub18", 41, 37),
        pod("kube-system", "metrics-server-7d9c65958-ghrmp", 4, 15),
    ]

    @Test func podsInAllNamespacesSortByNamespaceThenName() {
        #expect(
            KubeTop.pods(Self.recordedPods, allNamespaces: true) == """
                NAMESPACE     NAME                                       CPU(cores)   MEMORY(bytes)   
                default       resource-consumer-pod                      100m         7Mi             
                kube-system   calico-kube-controllers-74677b4c5f-f4tpw   4m           16Mi            
                kube-system   calico-node-dqmh6                          35m          87Mi            
                kube-system   etcd-ub18                                  41m          37Mi            
                kube-system   kube-apiserver-ub18                        74m          343Mi           
                kube-system   metrics-server-7d9c65958-ghrmp             4m           15Mi            

                """)
    }

    @Test func podsInOneNamespaceSortedByMemoryKeepTiesInAPIOrder() {
        let pods = [Self.pod("web", "b", 4, 16), Self.pod("web", "a", 4, 16), Self.pod("web", "c", 900, 2000)]
        #expect(
            KubeTop.pods(pods, sortBy: .memory) == """
                NAME   CPU(cores)   MEMORY(bytes)   
                c      900m         2000Mi          
                b      4m           16Mi            
                a      4m           16Mi            

                """)
        #expect(
            KubeTop.pods(pods, sortBy: .cpu, noHeaders: true) == """
                c     900m   2000Mi   
                b     4m     16Mi     
                a     4m     16Mi     

                """)
    }

    @Test func podCPUIsTheExactSumRoundedOnce() throws {
        let pod = PodUsageRow(
            namespace: "ns", name: "p",
            containers: [
                .init(name: "one", cpu: try Quantity(parsing: "400000n"), memory: try Quantity(parsing: "600Ki")),
                .init(name: "two", cpu: try Quantity(parsing: "400000n"), memory: try Quantity(parsing: "600Ki")),
            ])
        #expect(
            KubeTop.pods([pod]) == """
                NAME   CPU(cores)   MEMORY(bytes)   
                p      1m           1Mi             

                """)
        #expect(
            KubeTop.pods([pod], containers: true) == """
                POD   NAME   CPU(cores)   MEMORY(bytes)   
                p     one    1m           0Mi             
                p     two    1m           0Mi             

                """)
    }

    @Test func containersSortByNameWithinEachPodAndShowTheNamespaceWithA() {
        #expect(
            KubeTop.pods(
                Self.recordedPods.filter { $0.name.hasPrefix("calico-node") || $0.name.hasPrefix("etcd") },
                allNamespaces: true, containers: true) == """
                    NAMESPACE     POD                 NAME          CPU(cores)   MEMORY(bytes)   
                    kube-system   calico-node-dqmh6   calico-node   30m          80Mi            
                    kube-system   calico-node-dqmh6   install-cni   5m           7Mi             
                    kube-system   etcd-ub18           main          41m          37Mi            

                    """)
        #expect(
            KubeTop.pods(
                Self.recordedPods.filter { $0.name.hasPrefix("calico-node") }, containers: true, sortBy: .cpu,
                noHeaders: true) == """
                    calico-node-dqmh6   calico-node   30m   80Mi   
                    calico-node-dqmh6   install-cni   5m    7Mi    

                    """)
    }

    @Test func tabwriterCountsCharactersNotBytesAndHonoursMinimumWidth() {
        #expect(KubeTop.tabulate([["é", "x"], ["ab", "yyyyyy"]]) == "é     x        \nab    yyyyyy   \n")
        #expect(KubeTop.tabulate([]) == "")
    }
}
