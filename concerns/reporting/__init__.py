"""The partnership's learning report, in one place. `figures` computes every figure in the
database over the concerns submitted in a period (`Period`, `build_report`, `Report`);
`charts` turns counts into what may be shown (small-number suppression, bar widths);
`page` shapes a built report into the sections the report page renders; and `exports`
writes the two CSVs (the pseudonymised dataset and the suppressed figures). Reads go through
`concerns.selectors`; the one write, recording an export, is `concerns.services`' job."""
