//! Wasm entry point for Trunk: mounts the playground page. Natively this binary does nothing (the
//! native program is `kubeplay`, in `src/bin/kubeplay.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<kubeplay::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "kubeplay-web is the browser build; run it with `scripts/serve.sh`, or use `kubeplay`."
    );
}
