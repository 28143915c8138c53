//! The playground page (Yew, client-side rendering). A thin view over [`crate::kubectl`]: it adds no
//! cluster logic.
