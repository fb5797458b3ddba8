//! GraphML (<http://graphml.graphdrawing.org/>): the entity network, for Gephi, yEd,
//! Cytoscape or networkx. Nodes carry `label` and `name` (the entity's name), `kind`,
//! `mentions` and `documents`; edges `weight` and `relation` ("co-occurrence" or the kind
//! of relation the analyst drew) and the scope they were counted in.

use std::fmt::Write as _;

use super::{AnnotationSet, Fidelity};
use crate::model::network::{Network, Scope};

/// Text for XML content and attribute values: HTML's escapes (XML reads them too), less
/// the control characters XML 1.0 does not allow.
fn escape(text: &str) -> String {
    let allowed = |c: &char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    super::html::escape(&text.chars().filter(allowed).collect::<String>())
}

/// The network of `set` at `scope` as a GraphML document.
pub fn export(set: &AnnotationSet<'_>, scope: Scope, fidelity: &mut Fidelity) -> Vec<u8> {
    let network = set.network(scope);
    if !network.without_text.is_empty() {
        fidelity.losses.push(format!(
            "{} document(s) without a readable text: their co-occurrences not counted",
            network.without_text.len()
        ));
    }
    write(&network).into_bytes()
}

/// `network` as a GraphML document.
pub fn write(network: &Network) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    for (id, domain, kind) in [
        ("label", "node", "string"),
        ("name", "node", "string"),
        ("kind", "node", "string"),
        ("mentions", "node", "int"),
        ("documents", "node", "int"),
        ("weight", "edge", "double"),
        ("relation", "edge", "string"),
        ("scope", "edge", "string"),
    ] {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"{domain}\" attr.name=\"{id}\" attr.type=\"{kind}\"/>"
        );
    }
    out.push_str("  <graph id=\"entities\" edgedefault=\"undirected\">\n");
    for node in &network.nodes {
        let name = escape(&node.name);
        let _ = writeln!(
            out,
            "    <node id=\"e{}\"><data key=\"label\">{name}</data><data key=\"name\">{name}</data>\
             <data key=\"kind\">{}</data><data key=\"mentions\">{}</data>\
             <data key=\"documents\">{}</data></node>",
            node.entity.0,
            escape(&node.kind),
            node.mentions,
            node.documents
        );
    }
    for (i, edge) in network.edges.iter().enumerate() {
        let (relation, scope) = match &edge.relation {
            Some(kind) => (escape(kind), "relation"),
            None => ("co-occurrence".to_owned(), network.scope.name()),
        };
        let _ = writeln!(
            out,
            "    <edge id=\"r{i}\" source=\"e{}\" target=\"e{}\"><data key=\"weight\">{}</data>\
             <data key=\"relation\">{relation}</data><data key=\"scope\">{scope}</data></edge>",
            network.nodes[edge.source].entity.0, network.nodes[edge.target].entity.0, edge.weight
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
