//! `sqlx::migrate!` embeds the migration files at compile time: rebuild when one is added or
//! changed (a directory path makes cargo watch everything below it).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
