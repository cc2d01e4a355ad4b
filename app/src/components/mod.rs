pub mod case_text;
pub mod forms;
pub mod layout;
pub mod map_marker;
pub mod status;
