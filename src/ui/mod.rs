//! The playground page (Yew, client-side rendering). A thin view over [`crate::kubectl`]: it adds no
//! cluster logic.

use yew::prelude::*;

use crate::kubectl::{NoFiles, Session};

/// The page root.
#[function_component(App)]
pub fn app() -> Html {
    let session = use_memo((), |_| {
        let mut s = Session::new(1);
        for line in [
            "sim node add node-1 --labels disktype=ssd",
            "sim node add node-2",
            "sim node add node-3",
        ] {
            s.run(line, None, &NoFiles);
        }
        s
    });
    let nodes: Vec<String> = session
        .cluster
        .store()
        .nodes()
        .map(|n| n.metadata.name.clone().unwrap_or_default())
        .collect();
    html! {
        <main>
            <h1>{ "kubeplay" }</h1>
            <h2>{ "Nodes" }</h2>
            <ul>{ for nodes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
        </main>
    }
}
