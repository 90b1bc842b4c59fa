pub mod document;
pub mod position;
pub mod yaml;
