// What the page gets as window.KGSigma: sigma's WebGL renderer and graphology's graph.
import Graph from "graphology";
import Sigma from "sigma";

window.KGSigma = { Graph: Graph, Sigma: Sigma };
