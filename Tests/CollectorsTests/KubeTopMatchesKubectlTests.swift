import Collectors
import KubeClient
import KubeglassCore
import Testing

/// Outputs of kubectl (`kubectl top …`) against a stub API server that served exactly the
/// NodeMetrics, Nodes and PodMetrics below, in this order; recorded 2026-11-22, with the node
/// percentage headers in the older `CPU%` style (`.bare`). The kubectl 1.32.4 on this machine
/// heads them `CPU(%)`: KubernetesEndToEndTests compares it with `kubeglass top` on a live sim.
struct KubeTopMatchesKubectlTests {
    static func node(
        _ name: String, _ cpu: String, _ memory: String, _ allocatableCPU: String, _ allocatableMemory: String
    ) throws -> NodeUsageRow {
        NodeUsageRow(
            name: name, cpu: try Quantity(parsing: cpu), memory: try Quantity(parsing: memory),
            allocatableCPU: try Quantity(parsing: allocatableCPU),
            allocatableMemory: try Quantity(parsing: allocatableMemory))
    }

    static func pod(_ namespace: String, _ name: String, _ containers: [(String, String, String)]) throws -> PodUsageRow
    {
        PodUsageRow(
            namespace: namespace, name: name,
            containers: try containers.map {
                PodUsageRow.Container(name: $0.0, cpu: try Quantity(parsing: $0.1), memory: try Quantity(parsing: $0.2))
            })
    }

    static func nodes() throws -> [NodeUsageRow] {
        [
            try node("ub18c2", "213m", "2189313Ki", "1", "6080512Ki"),
            try node("ub18", "354m", "2749452Ki", "2", "6107136Ki"),
            try node("ub18c1", "180m", "2297856Ki", "1", "6046720Ki"),
            try node("zero", "29m", "1Ki", "100m", "0"),
        ]
    }

    /// In the order the stub listed them (not sorted), so that ties show kubectl's order.
    static func pods() throws -> [PodUsageRow] {
        [
            try pod(
                "kube-system", "calico-node-dqmh6", [("install-cni", "5m", "7Mi"), ("calico-node", "30m", "80Mi")]),
            try pod("default", "resource-consumer-pod", [("main", "100m", "7Mi")]),
            try pod("kube-system", "etcd-ub18", [("main", "41m", "37Mi")]),
            try pod("kube-system", "a-tie", [("main", "41m", "37Mi")]),
            try pod("web", "sum", [("one", "400000n", "600Ki"), ("two", "400000n", "600Ki")]),
        ]
    }

    @Test func topNode() throws {
        #expect(
            KubeTop.nodes(try Self.nodes(), withoutMetrics: ["down"], headers: .bare) == """
                NAME     CPU(cores)   CPU%        MEMORY(bytes)   MEMORY%                 
                ub18     354m         17%         2685Mi          45%                     
                ub18c1   180m         18%         2244Mi          38%                     
                ub18c2   213m         21%         2138Mi          36%                     
                zero     29m          28%         0Mi             -9223372036854775808%   
                down     <unknown>    <unknown>   <unknown>       <unknown>               

                """)
    }

    @Test func topNodeSortedByMemoryWithoutHeaders() throws {
        #expect(
            KubeTop.nodes(try Self.nodes(), withoutMetrics: ["down"], sortBy: .memory, noHeaders: true, headers: .bare)
                == """
                ub18     354m        17%         2685Mi      45%                     
                ub18c1   180m        18%         2244Mi      38%                     
                ub18c2   213m        21%         2138Mi      36%                     
                zero     29m         28%         0Mi         -9223372036854775808%   
                down     <unknown>   <unknown>   <unknown>   <unknown>               

                """)
    }

    @Test func topPodAllNamespaces() throws {
        #expect(
            KubeTop.pods(try Self.pods(), allNamespaces: true) == """
                NAMESPACE     NAME                    CPU(cores)   MEMORY(bytes)   
                default       resource-consumer-pod   100m         7Mi             
                kube-system   a-tie                   41m          37Mi            
                kube-system   calico-node-dqmh6       35m          87Mi            
                kube-system   etcd-ub18               41m          37Mi            
                web           sum                     1m           1Mi             

                """)
    }

    @Test func topPodAllNamespacesContainers() throws {
        #expect(
            KubeTop.pods(try Self.pods(), allNamespaces: true, containers: true) == """
                NAMESPACE     POD                     NAME          CPU(cores)   MEMORY(bytes)   
                default       resource-consumer-pod   main          100m         7Mi             
                kube-system   a-tie                   main          41m          37Mi            
                kube-system   calico-node-dqmh6       calico-node   30m          80Mi            
                kube-system   calico-node-dqmh6       install-cni   5m           7Mi             
                kube-system   etcd-ub18               main          41m          37Mi            
                web           sum                     one           1m           0Mi             
                web           sum                     two           1m           0Mi             

                """)
    }

    @Test func topPodContainersSortedByCPU() throws {
        #expect(
            KubeTop.pods(try Self.pods().filter { $0.namespace == "kube-system" }, containers: true, sortBy: .cpu)
                == """
                POD                 NAME          CPU(cores)   MEMORY(bytes)   
                etcd-ub18           main          41m          37Mi            
                a-tie               main          41m          37Mi            
                calico-node-dqmh6   calico-node   30m          80Mi            
                calico-node-dqmh6   install-cni   5m           7Mi             

                """)
    }

    @Test func topPodAllNamespacesSortedByMemory() throws {
        #expect(
            KubeTop.pods(try Self.pods(), allNamespaces: true, sortBy: .memory) == """
                NAMESPACE     NAME                    CPU(cores)   MEMORY(bytes)   
                kube-system   calico-node-dqmh6       35m          87Mi            
                kube-system   etcd-ub18               41m          37Mi            
                kube-system   a-tie                   41m          37Mi            
                default       resource-consumer-pod   100m         7Mi             
                web           sum                     1m           1Mi             

                """)
    }
}
