pub mod forms;
pub mod layout;
pub mod status;
