/// A PodList as the API server sends it for `GET /api/v1/pods` (kubectl 1.32 `get pods -A -o json`
/// shape, trimmed to five pods): a running Deployment pod with managedFields, a CrashLoopBackOff
/// pod, a Completed Job pod, a Pending pod not yet scheduled, and a pod with init containers and
/// no resources that is being deleted.
enum PodListFixture {
    static let body = #"""
        {
          "kind": "PodList",
          "apiVersion": "v1",
          "metadata": {
            "resourceVersion": "184467",
            "continue": "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTg0NDY3LCJzdGFydCI6Imt1YmUtc3lzdGVtL2V0Y2QtbWluaWt1YmVcdTAwMDAifQ",
            "remainingItemCount": 42
          },
          "items": [
            {
              "metadata": {
                "name": "web-7d9c8b6f5d-x2lkq",
                "generateName": "web-7d9c8b6f5d-",
                "namespace": "default",
                "uid": "4f0c3a0e-8d5b-4a4e-9a52-7f4f2b1e9c11",
                "resourceVersion": "183201",
                "creationTimestamp": "2024-03-05T09:14:27Z",
                "labels": {
                  "app": "web",
                  "pod-template-hash": "7d9c8b6f5d",
                  "app.kubernetes.io/part-of": "shop \u2014 frontend"
                },
                "annotations": {
                  "kubectl.kubernetes.io/restartedAt": "2024-03-05T09:14:20Z",
                  "prometheus.io/scrape": "true",
                  "config": "{\"retries\":3,\"paths\":[\"/a\",\"/b\"],\"nested\":{\"x\":[1,2,{\"y\":null}]}}"
                },
                "ownerReferences": [
                  {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web-7d9c8b6f5d",
                    "uid": "0b6f9b3c-54a1-4d10-9b6b-0e2b4b0a7e55",
                    "controller": true,
                    "blockOwnerDeletion": true
                  }
                ],
                "managedFields": [
                  {
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2024-03-05T09:14:27Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"0b6f9b3c-54a1-4d10-9b6b-0e2b4b0a7e55\"}":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:resources":{".":{},"f:limits":{".":{},"f:cpu":{},"f:memory":{}},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}}}}}}
                  },
                  {
                    "manager": "kubelet",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2024-03-05T09:14:31Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:status":{"f:conditions":{"k:{\"type\":\"Ready\"}":{".":{},"f:lastProbeTime":{},"f:status":{},"f:type":{}}},"f:podIP":{}}},
                    "subresource": "status"
                  }
                ]
              },
              "spec": {
                "volumes": [
                  {
                    "name": "kube-api-access-9xk2p",
                    "projected": {
                      "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}
                      ],
                      "defaultMode": 420
                    }
                  }
                ],
                "containers": [
                  {
                    "name": "web",
                    "image": "nginx:1.25.4",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {
                      "limits": {"cpu": "500m", "memory": "256Mi"},
                      "requests": {"cpu": "100m", "memory": "128Mi"}
                    },
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"}, "initialDelaySeconds": 5, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent"
                  },
                  {
                    "name": "metrics-sidecar",
                    "image": "prom/statsd-exporter:v0.26.0",
                    "resources": {
                      "requests": {"cpu": "0.05", "memory": "32M", "ephemeral-storage": "1Gi"}
                    }
                  }
                ],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "serviceAccountName": "default",
                "nodeName": "worker-1",
                "securityContext": {},
                "schedulerName": "default-scheduler",
                "tolerations": [
                  {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                  {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
                ],
                "priority": 0,
                "enableServiceLinks": true,
                "preemptionPolicy": "PreemptLowerPriority"
              },
              "status": {
                "phase": "Running",
                "conditions": [
                  {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-03-05T09:14:27Z"},
                  {"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-03-05T09:14:31Z"}
                ],
                "hostIP": "10.0.0.11",
                "podIP": "10.244.1.17",
                "podIPs": [{"ip": "10.244.1.17"}],
                "startTime": "2024-03-05T09:14:27Z",
                "containerStatuses": [
                  {
                    "name": "metrics-sidecar",
                    "state": {"running": {"startedAt": "2024-03-05T09:14:30Z"}},
                    "lastState": {},
                    "ready": true,
                    "restartCount": 0,
                    "image": "docker.io/prom/statsd-exporter:v0.26.0",
                    "imageID": "docker.io/prom/statsd-exporter@sha256:4e0f1c3d",
                    "containerID": "containerd://8a1b",
                    "started": true
                  },
                  {
                    "name": "web",
                    "state": {"running": {"startedAt": "2024-03-05T09:14:29Z"}},
                    "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": "2024-03-05T09:10:00Z", "finishedAt": "2024-03-05T09:14:28Z"}},
                    "ready": true,
                    "restartCount": 2,
                    "image": "docker.io/library/nginx:1.25.4",
                    "imageID": "docker.io/library/nginx@sha256:6db3",
                    "containerID": "containerd://f00d",
                    "started": true
                  }
                ],
                "qosClass": "Burstable"
              }
            },
            {
              "metadata": {
                "name": "api-5c6b9d7f4-8hq2m",
                "namespace": "shop",
                "uid": "9a1d2c3b-0000-4000-8000-000000000002",
                "creationTimestamp": "2024-03-05T08:00:00Z",
                "labels": {"app": "api"},
                "ownerReferences": [
                  {"apiVersion": "v1", "kind": "ConfigMap", "name": "not-the-controller", "uid": "1"},
                  {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "api-5c6b9d7f4", "uid": "2", "controller": true, "blockOwnerDeletion": true}
                ]
              },
              "spec": {
                "containers": [
                  {"name": "api", "image": "registry.example.com/shop/api:2.4.1", "resources": {"limits": {"memory": "1Gi"}, "requests": {"cpu": "250m", "memory": "512Mi"}}}
                ],
                "nodeName": "worker-2"
              },
              "status": {
                "phase": "Running",
                "containerStatuses": [
                  {
                    "name": "api",
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container=api pod=api-5c6b9d7f4-8hq2m_shop(9a1d2c3b)"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2024-03-05T09:20:00Z", "finishedAt": "2024-03-05T09:20:01Z"}},
                    "ready": false,
                    "restartCount": 17,
                    "image": "registry.example.com/shop/api:2.4.1",
                    "imageID": "",
                    "started": false
                  }
                ]
              }
            },
            {
              "metadata": {
                "name": "backup-28497120-tx4zp",
                "namespace": "ops",
                "uid": "c3c3c3c3-0000-4000-8000-000000000003",
                "creationTimestamp": "2024-03-05T02:00:00.000000Z",
                "labels": {"batch.kubernetes.io/job-name": "backup-28497120", "controller-uid": "77"},
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "backup-28497120", "uid": "77", "controller": true}],
                "finalizers": ["batch.kubernetes.io/job-tracking"]
              },
              "spec": {
                "containers": [{"name": "backup", "image": "alpine:3.19", "command": ["/bin/sh", "-c", "tar czf - /data | nc backup 9000"], "resources": {}}],
                "restartPolicy": "Never",
                "nodeName": "worker-1"
              },
              "status": {
                "phase": "Succeeded",
                "containerStatuses": [
                  {
                    "name": "backup",
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": "2024-03-05T02:00:02Z", "finishedAt": "2024-03-05T02:03:41Z", "containerID": "containerd://b4c"}},
                    "lastState": {},
                    "ready": false,
                    "restartCount": 0,
                    "image": "docker.io/library/alpine:3.19",
                    "imageID": "docker.io/library/alpine@sha256:c5b1",
                    "started": false
                  }
                ]
              }
            },
            {
              "metadata": {
                "name": "gpu-trainer-0",
                "namespace": "ml",
                "uid": "d4d4d4d4-0000-4000-8000-000000000004",
                "creationTimestamp": "2024-03-05T09:30:00+01:00",
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "gpu-trainer", "uid": "88", "controller": true}]
              },
              "spec": {
                "containers": [{"name": "trainer", "image": "pytorch/pytorch:2.2.1", "resources": {"limits": {"nvidia.com/gpu": "1", "cpu": "16", "memory": "64Gi"}, "requests": {"cpu": "16", "memory": "64Gi"}}}],
                "nodeSelector": {"accelerator": "a100"}
              },
              "status": {
                "phase": "Pending",
                "conditions": [{"type": "PodScheduled", "status": "False", "lastProbeTime": null, "lastTransitionTime": "2024-03-05T08:30:00Z", "reason": "Unschedulable", "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."}],
                "qosClass": "Guaranteed"
              }
            },
            {
              "metadata": {
                "name": "db-migrate",
                "namespace": "shop",
                "uid": null,
                "creationTimestamp": "2024-03-05T09:00:00Z",
                "deletionTimestamp": "2024-03-05T09:45:10Z",
                "deletionGracePeriodSeconds": 30,
                "labels": null
              },
              "spec": {
                "initContainers": [
                  {"name": "wait-for-db", "image": "busybox:1.36", "command": ["sh", "-c", "until nc -z db 5432; do sleep 1; done"]},
                  {"name": "schema", "image": "registry.example.com/shop/migrate:1.0"}
                ],
                "containers": [{"name": "migrate", "image": "registry.example.com/shop/migrate:1.0"}],
                "nodeName": ""
              },
              "status": {
                "phase": "Pending",
                "reason": null,
                "initContainerStatuses": [
                  {"name": "wait-for-db", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}, "ready": true, "restartCount": 0},
                  {"name": "schema", "state": {"running": {"startedAt": "2024-03-05T09:00:05Z"}}, "ready": false, "restartCount": 0}
                ],
                "containerStatuses": [
                  {"name": "migrate", "state": {"waiting": {"reason": "PodInitializing"}}, "ready": false, "restartCount": 0}
                ]
              }
            }
          ]
        }
        """#
}
