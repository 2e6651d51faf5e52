//! Writes every default template, filled with the sample context, as PDF and docx into a
//! directory: `cargo run -p fengqiao-docs --example render_samples -- /tmp/fq-docs`.

use std::error::Error;
use std::path::PathBuf;

use fengqiao_docs::{FontSet, default_templates, render_docx, render_pdf, sample_context};

fn main() -> Result<(), Box<dyn Error>> {
    let directory = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/fq-docs".to_owned()),
    );
    std::fs::create_dir_all(&directory)?;
    let fonts = FontSet::discover()?;
    println!(
        "fonts: {} ({}), {} ({})",
        fonts.regular.family(),
        fonts.regular.path().display(),
        fonts.bold.family(),
        fonts.bold.path().display()
    );
    let context = sample_context();
    for template in default_templates() {
        for (extension, bytes) in [
            ("pdf", render_pdf(&template, &context, &fonts)?),
            ("docx", render_docx(&template, &context)?),
        ] {
            let path = directory.join(format!("{}.{extension}", template.key));
            std::fs::write(&path, &bytes)?;
            println!("{} ({} bytes)", path.display(), bytes.len());
        }
    }
    Ok(())
}
