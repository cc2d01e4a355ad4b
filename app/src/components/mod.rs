pub mod case_text;
pub mod forms;
pub mod layout;
pub mod status;
