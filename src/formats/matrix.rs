//! The document × entity matrix as CSV (as the CSV export: UTF-8 with a byte-order mark,
//! CRLF): a row per document that mentions an entity, a column per entity (most mentioned
//! first), each cell the entity's mentions in the document.

use super::{AnnotationSet, Fidelity, csv::guard};

pub fn export(set: &AnnotationSet<'_>, _fidelity: &mut Fidelity) -> std::io::Result<Vec<u8>> {
    let overview = crate::model::overview::compute(set.project, &set.filter());
    let matrix = &overview.matrix;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let header = ["document".to_owned(), "document_path".to_owned()]
        .into_iter()
        .chain(matrix.entities.iter().map(|e| guard(&e.name)));
    writer.write_record(header)?;
    let mut cells = matrix.cells.iter().peekable();
    for (row, id) in matrix.documents.iter().enumerate() {
        let (title, path) = set
            .project
            .document(*id)
            .map_or_else(Default::default, |d| {
                (d.display_name().to_owned(), d.path.clone())
            });
        let mut record = vec![guard(&title), guard(&path)];
        record.resize(2 + matrix.entities.len(), "0".to_owned());
        while let Some(&(_, column, count)) = cells.next_if(|c| c.0 == row) {
            record[2 + column] = count.to_string();
        }
        writer.write_record(&record)?;
    }
    writer.into_inner().map_err(csv::IntoInnerError::into_error)
}
