/// `kubeglass sim`: a simulated cluster served over the real Kubernetes APIs.
public enum Simulator {}
