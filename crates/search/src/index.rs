//! The index: schema, writing (upsert/delete/rebuild) and searching.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{RemoveLongFilter, TextAnalyzer};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument,
    TantivyError, Term,
};

use crate::error::{Result, SearchError};
use crate::highlight;
use crate::query::{self, Group};
use crate::tokenize::{self, BIGRAM, BigramAnalyzer, Gram, JIEBA, JiebaAnalyzer};

/// One published item as the search index sees it (built by the caller from store rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Item id in the store; the index key (upsert replaces by it).
    pub item_id: i64,
    /// Publishing organ.
    pub organ_id: i64,
    /// Organ name as shown in results; also searchable.
    pub organ_name: String,
    /// Title.
    pub title: String,
    /// Body as plain text.
    pub body: String,
    /// Text extracted from attachments, concatenated.
    pub attachments_text: String,
    /// 体裁 key, e.g. `normative_document`, `work_update`.
    pub genre: String,
    /// `valid`, `expired` or `repealed`.
    pub validity: String,
    /// Year used by the year filter (normally the year of `formed_on`).
    pub year: i32,
    /// RFC 3339 instant; orders the "newest first" listing. If it does not parse, 1 January of
    /// `year` is used, so one odd row never stops a reindex.
    pub published_at: String,
    /// 索引号, searchable as a phrase.
    pub index_no: Option<String>,
    /// 文号, searchable as a phrase.
    pub doc_no: Option<String>,
}

/// A search request from the portal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    /// What the reader typed. Words (space-separated) should all match, ranked first when they
    /// do; "quoted" or “quoted” text must occur exactly. Empty text lists by newest.
    pub text: String,
    /// Restrict to these organs (e.g. an organ and its subtree). `Some(vec![])` matches nothing.
    pub organ_ids: Option<Vec<i64>>,
    /// Restrict to one 体裁 key.
    pub genre: Option<String>,
    /// Restrict to one year.
    pub year: Option<i32>,
    /// Restrict to one validity (`valid`, `expired`, `repealed`).
    pub validity: Option<String>,
    /// Hits to skip (paging). Beyond [`MAX_OFFSET`] no hits are returned, only the total.
    pub offset: usize,
    /// Hits per page; 0 means [`DEFAULT_LIMIT`], capped at [`MAX_LIMIT`].
    pub limit: usize,
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// Number of matching items (all pages).
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
}

/// One result, ready to render. `*_html` fields are HTML-escaped with `<mark>` around matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hit {
    /// Item id in the store.
    pub item_id: i64,
    /// Relevance score (0 when listing by newest).
    pub score: f32,
    /// Title, escaped and highlighted.
    pub title_html: String,
    /// About [`SNIPPET_CHARS`] characters of body (or attachment) text around the matches.
    pub snippet_html: String,
    /// Publishing organ.
    pub organ_id: i64,
    /// Publishing organ's name (plain text, escape when rendering).
    pub organ_name: String,
    /// 体裁 key.
    pub genre: String,
    /// Validity key.
    pub validity: String,
    /// As given at indexing (RFC 3339).
    pub published_at: String,
    /// 索引号.
    pub index_no: Option<String>,
    /// 文号.
    pub doc_no: Option<String>,
}

/// Default page size.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served; deeper paging would make every query collect that many documents.
pub const MAX_OFFSET: usize = 10_000;
/// Snippet length in characters.
pub const SNIPPET_CHARS: usize = 120;

/// Writer settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// Total indexing memory budget in bytes, shared by the threads. Large values mean fewer,
    /// bigger segments on rebuild (one commit at the end); memory is used only while indexing.
    pub writer_memory_bytes: usize,
    /// Indexing threads (tokenizing with jieba is the costly part).
    pub writer_threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self {
            writer_memory_bytes: 256 * 1024 * 1024,
            writer_threads: cores.clamp(1, 4),
        }
    }
}

// Field boosts. jieba words are the precise signal; bigram phrases catch what jieba splits
// differently and rank exact phrases up, but weigh less per field. Title > body > attachments.
const TITLE_BOOST: f32 = 3.0;
const BODY_BOOST: f32 = 1.0;
const ATTACHMENTS_BOOST: f32 = 0.5;
const TITLE_GRAM_BOOST: f32 = 2.0;
const BODY_GRAM_BOOST: f32 = 0.7;
const ATTACHMENTS_GRAM_BOOST: f32 = 0.3;
const META_GRAM_BOOST: f32 = 1.5;
/// Extra weight for documents matching every word of a multi-word query.
const ALL_WORDS_BOOST: f32 = 2.0;
/// Extra weight for documents containing every part of a word jieba splits.
const ALL_PARTS_BOOST: f32 = 2.0;
/// A final single character (e.g. 2023年) expands to at most this many bigrams.
const PREFIX_EXPANSIONS: u32 = 5_000;

#[derive(Debug, Clone, Copy)]
struct Fields {
    item_id: Field,
    organ_id: Field,
    organ_name: Field,
    title: Field,
    body: Field,
    attachments: Field,
    title_gram: Field,
    body_gram: Field,
    attachments_gram: Field,
    meta_gram: Field,
    genre: Field,
    validity: Field,
    year: Field,
    published_ts: Field,
    published_at: Field,
    index_no: Field,
    doc_no: Field,
}

const PUBLISHED_TS: &str = "published_ts";

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // jieba fields: frequencies only; phrases are answered by the bigram fields.
    let jieba_stored = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(JIEBA)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let gram = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIGRAM)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        item_id: b.add_i64_field("item_id", INDEXED | STORED | FAST),
        organ_id: b.add_i64_field("organ_id", INDEXED | STORED),
        organ_name: b.add_text_field("organ_name", STORED),
        title: b.add_text_field("title", jieba_stored.clone()),
        body: b.add_text_field("body", jieba_stored.clone()),
        attachments: b.add_text_field("attachments", jieba_stored),
        title_gram: b.add_text_field("title_gram", gram.clone()),
        body_gram: b.add_text_field("body_gram", gram.clone()),
        attachments_gram: b.add_text_field("attachments_gram", gram.clone()),
        meta_gram: b.add_text_field("meta_gram", gram),
        genre: b.add_text_field("genre", STRING | STORED),
        validity: b.add_text_field("validity", STRING | STORED),
        year: b.add_i64_field("year", INDEXED | STORED),
        published_ts: b.add_i64_field(PUBLISHED_TS, FAST),
        published_at: b.add_text_field("published_at", STORED),
        index_no: b.add_text_field("index_no", STORED),
        doc_no: b.add_text_field("doc_no", STORED),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    // Tokens over 100 bytes are junk (base64, long URLs) and only bloat the dictionary.
    index.tokenizers().register(
        JIEBA,
        TextAnalyzer::builder(JiebaAnalyzer::new())
            .filter(RemoveLongFilter::limit(100))
            .build(),
    );
    index.tokenizers().register(
        BIGRAM,
        TextAnalyzer::builder(BigramAnalyzer)
            .filter(RemoveLongFilter::limit(100))
            .build(),
    );
}

/// The finest jieba parts: words that contain no other word of the list (search mode yields
/// both 老旧小区改造 and its parts 老旧, 小区, 改造).
fn smallest_parts(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .filter(|w| !words.iter().any(|o| o != *w && w.contains(o.as_str())))
        .map(String::as_str)
        .collect()
}

fn published_ts(doc: &SearchDoc) -> i64 {
    chrono::DateTime::parse_from_rfc3339(doc.published_at.trim())
        .map(|t| t.timestamp())
        .ok()
        .or_else(|| {
            chrono::NaiveDate::from_ymd_opt(doc.year, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp())
        })
        .unwrap_or(0)
}

/// The full-text index of published items.
///
/// One writer per index directory: tantivy takes a lock file, and [`SearchIndex::open_or_create`]
/// takes the writer at once, so a second instance on the same directory (another process or
/// another `SearchIndex` in this one) fails with [`SearchError::Locked`] instead of corrupting the
/// index. With several app servers, run the indexer on one node or give each node its own
/// directory; the index is a cache that `rebuild` restores from the store at any time.
///
/// Writes become visible to searches after [`SearchIndex::commit`].
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    path: PathBuf,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir` (creating the directory and an empty index if needed) and takes
    /// its writer lock.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        Self::open_or_create_with(dir, IndexOptions::default())
    }

    /// Like [`SearchIndex::open_or_create`] with explicit writer settings.
    pub fn open_or_create_with(dir: &Path, options: IndexOptions) -> Result<Self> {
        let io = |source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let (schema, fields) = build_schema();
        let index = Index::open_or_create(directory, schema).map_err(|e| match e {
            TantivyError::SchemaError(detail) => SearchError::SchemaMismatch {
                path: dir.to_path_buf(),
                detail,
            },
            other => SearchError::Engine(other),
        })?;
        Self::from_index(index, fields, dir.to_path_buf(), options)
    }

    /// An index held in memory (tests, benchmarks, tiny deployments).
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        let options = IndexOptions {
            writer_memory_bytes: 64 * 1024 * 1024,
            ..IndexOptions::default()
        };
        Self::from_index(index, fields, PathBuf::from(":memory:"), options)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        path: PathBuf,
        options: IndexOptions,
    ) -> Result<Self> {
        register_tokenizers(&index);
        // tantivy needs ≥ 15 MB per thread; clamp instead of failing on a small setting.
        let threads = options.writer_threads.clamp(1, 8);
        let memory = options
            .writer_memory_bytes
            .max(threads * 16 * 1024 * 1024)
            .min(threads * 4000 * 1024 * 1024);
        let writer = index
            .writer_with_num_threads(threads, memory)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    SearchError::Locked(path.clone())
                }
                other => SearchError::Engine(other),
            })?;
        // Manual reload: we reload right after our own commits (single writer).
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            path,
        })
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter<TantivyDocument>>> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    fn to_document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_i64(f.item_id, doc.item_id);
        d.add_i64(f.organ_id, doc.organ_id);
        d.add_text(f.organ_name, &doc.organ_name);
        d.add_text(f.title, &doc.title);
        d.add_text(f.body, &doc.body);
        d.add_text(f.attachments, &doc.attachments_text);
        d.add_text(f.title_gram, &doc.title);
        d.add_text(f.body_gram, &doc.body);
        d.add_text(f.attachments_gram, &doc.attachments_text);
        // Separate values so a phrase cannot run from the organ name into the 文号.
        d.add_text(f.meta_gram, &doc.organ_name);
        if let Some(v) = &doc.doc_no {
            d.add_text(f.meta_gram, v);
            d.add_text(f.doc_no, v);
        }
        if let Some(v) = &doc.index_no {
            d.add_text(f.meta_gram, v);
            d.add_text(f.index_no, v);
        }
        d.add_text(f.genre, &doc.genre);
        d.add_text(f.validity, &doc.validity);
        d.add_i64(f.year, i64::from(doc.year));
        d.add_i64(f.published_ts, published_ts(doc));
        d.add_text(f.published_at, &doc.published_at);
        d
    }

    /// Adds the item, replacing any earlier version with the same `item_id`.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<()> {
        let document = self.to_document(doc);
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_i64(self.fields.item_id, doc.item_id));
        writer.add_document(document)?;
        Ok(())
    }

    /// Removes the item (withdrawn, unpublished, deleted).
    pub fn delete(&self, item_id: i64) -> Result<()> {
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_i64(self.fields.item_id, item_id));
        Ok(())
    }

    /// Makes pending writes durable and visible to searches.
    pub fn commit(&self) -> Result<()> {
        self.commit_with_marker(None)
    }

    /// As [`commit`](Self::commit), storing `marker` with the commit (tantivy's commit payload):
    /// the caller's note of how far the index has followed its source, read back with
    /// [`marker`](Self::marker) after a restart.
    pub fn commit_with_marker(&self, marker: Option<&str>) -> Result<()> {
        let mut writer = self.writer()?;
        let mut prepared = writer.prepare_commit()?;
        if let Some(m) = marker {
            prepared.set_payload(m);
        }
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// The marker stored with the last commit, if any.
    pub fn marker(&self) -> Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    /// Replaces the whole index with `docs` in one commit; returns how many were indexed. On
    /// error nothing changes (the previous commit stays searchable).
    pub fn rebuild(&self, docs: impl Iterator<Item = SearchDoc>) -> Result<usize> {
        self.rebuild_with_marker(docs, None)
    }

    /// As [`rebuild`](Self::rebuild), storing `marker` with the commit (see
    /// [`commit_with_marker`](Self::commit_with_marker)).
    pub fn rebuild_with_marker(
        &self,
        docs: impl Iterator<Item = SearchDoc>,
        marker: Option<&str>,
    ) -> Result<usize> {
        let mut writer = self.writer()?;
        let result = (|| {
            writer.delete_all_documents()?;
            let mut count = 0usize;
            for doc in docs {
                writer.add_document(self.to_document(&doc))?;
                count += 1;
            }
            let mut prepared = writer.prepare_commit()?;
            if let Some(m) = marker {
                prepared.set_payload(m);
            }
            prepared.commit()?;
            Ok::<_, TantivyError>(count)
        })();
        match result {
            Ok(count) => {
                drop(writer);
                self.reader.reload()?;
                Ok(count)
            }
            Err(e) => {
                // Keep the error we report; a failing rollback adds nothing useful.
                let _ = writer.rollback();
                Err(e.into())
            }
        }
    }

    /// Number of items visible to searches.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// No items visible to searches.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn filter_query(&self, q: &SearchQuery) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        if let Some(ids) = &q.organ_ids {
            let terms = ids.iter().map(|id| Term::from_field_i64(f.organ_id, *id));
            filters.push(Box::new(TermSetQuery::new(terms)));
        }
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(genre) = &q.genre {
            filters.push(exact(f.genre, genre));
        }
        if let Some(validity) = &q.validity {
            filters.push(exact(f.validity, validity));
        }
        if let Some(year) = q.year {
            filters.push(Box::new(TermQuery::new(
                Term::from_field_i64(f.year, i64::from(year)),
                IndexRecordOption::Basic,
            )));
        }
        filters
    }

    /// Exact-substring query on a bigram field (see `tokenize::bigrams`).
    fn gram_query(field: Field, grams: &[Gram]) -> Option<Box<dyn Query>> {
        let terms: Vec<(usize, Term)> = grams
            .iter()
            .map(|g| (g.position, Term::from_field_text(field, &g.text)))
            .collect();
        let last_is_single_cjk = grams.last().is_some_and(|g| {
            let mut chars = g.text.chars();
            chars.next().is_some_and(tokenize::is_cjk) && chars.next().is_none()
        });
        if terms.is_empty() {
            return None;
        }
        if last_is_single_cjk {
            // The document may continue the run (年 in 2023年老旧…): match the bigram prefix.
            let mut q = PhrasePrefixQuery::new_with_offset(terms);
            q.set_max_expansions(PREFIX_EXPANSIONS);
            return Some(Box::new(q));
        }
        if terms.len() == 1 {
            let (_, term) = terms.into_iter().next()?;
            return Some(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)));
        }
        Some(Box::new(PhraseQuery::new_with_offset(terms)))
    }

    /// `strict`: a word of several jieba parts matches only documents with all of them (or the
    /// exact string); otherwise any part matches, documents with all parts ranking first.
    fn group_query(&self, g: &Group, strict: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let boosted =
            |q: Box<dyn Query>, b: f32| -> Box<dyn Query> { Box::new(BoostQuery::new(q, b)) };
        let mut words: Vec<(Occur, Box<dyn Query>)> = g
            .words
            .iter()
            .map(|w| (Occur::Should, self.word_anywhere(w)))
            .collect();
        let mut phrases: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Exact-substring matches in the long fields (body, attachments) are costly (positions
        // of every bigram over most of the index). They are needed when the query is quoted, or
        // when jieba finds fewer than two words in it (so the word match alone is weak); for
        // an unquoted query of several words the all-parts match below finds those documents.
        let parts = smallest_parts(&g.words).len();
        let long_fields = g.phrase || parts < 2 || !strict;
        for (field, boost, long) in [
            (f.title_gram, TITLE_GRAM_BOOST, false),
            (f.body_gram, BODY_GRAM_BOOST, true),
            (f.attachments_gram, ATTACHMENTS_GRAM_BOOST, true),
            (f.meta_gram, META_GRAM_BOOST, false),
        ] {
            if long && !long_fields {
                continue;
            }
            if let Some(q) = Self::gram_query(field, &g.grams) {
                phrases.push((Occur::Should, boosted(q, boost)));
            }
        }
        if g.phrase {
            // Quoted: the exact phrase is required; jieba words only add to the score.
            let mut clauses = vec![(
                Occur::Must,
                Box::new(BooleanQuery::new(phrases)) as Box<dyn Query>,
            )];
            clauses.extend(words);
            Box::new(BooleanQuery::new(clauses))
        } else {
            // A word jieba splits into several parts (老旧小区改造 → 老旧, 小区, 改造) matches
            // documents with EVERY part, or with the typed string itself (the bigram phrase,
            // for text jieba cut differently) — not those mentioning one part only (小区): that
            // is what a reader typing 老旧小区改造 looks for, and it keeps a query over common
            // parts (服务, 工作) from scoring most of the index.
            let parts = smallest_parts(&g.words);
            if parts.len() >= 2 {
                let all: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .map(|w| (Occur::Must, self.word_anywhere(w)))
                    .collect();
                // The longer jieba words (老旧小区) still add to the score of these documents.
                let mut within: Vec<(Occur, Box<dyn Query>)> = vec![(
                    Occur::Must,
                    boosted(Box::new(BooleanQuery::new(all)), ALL_PARTS_BOOST),
                )];
                within.extend(
                    g.words
                        .iter()
                        .filter(|w| !parts.contains(&String::as_str(w)))
                        .map(|w| (Occur::Should, self.word_anywhere(w))),
                );
                let all_parts = (
                    Occur::Should,
                    Box::new(BooleanQuery::new(within)) as Box<dyn Query>,
                );
                if strict {
                    words = vec![all_parts];
                } else {
                    words.push(all_parts);
                }
            }
            words.extend(phrases);
            Box::new(BooleanQuery::new(words))
        }
    }

    /// One jieba word in any text field, with the field boosts.
    fn word_anywhere(&self, word: &str) -> Box<dyn Query> {
        let f = &self.fields;
        let clauses = [
            (f.title, TITLE_BOOST),
            (f.body, BODY_BOOST),
            (f.attachments, ATTACHMENTS_BOOST),
        ]
        .into_iter()
        .map(|(field, boost)| {
            let q = TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            );
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>,
            )
        })
        .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn text_query(&self, groups: &[Group], strict: bool) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let loose: Vec<&Group> = groups.iter().filter(|g| !g.phrase).collect();
        for g in groups {
            let occur = if g.phrase || strict {
                Occur::Must
            } else {
                Occur::Should
            };
            clauses.push((occur, self.group_query(g, strict)));
        }
        // Strict: documents with every word; the sum of the words' scores ranks them. Loose (the
        // fallback when none has every word): the all-words clause ranks fuller matches first.
        if loose.len() >= 2 && !strict {
            // Documents with every word get this on top, so they rank before partial matches.
            let all: Vec<(Occur, Box<dyn Query>)> = loose
                .iter()
                .map(|g| (Occur::Must, self.group_query(g, strict)))
                .collect();
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::new(all)),
                    ALL_WORDS_BOOST,
                )),
            ));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs a search. Never fails on odd user text (it is sanitised, see [`SearchQuery::text`]).
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let limit = if q.limit == 0 {
            DEFAULT_LIMIT
        } else {
            q.limit.min(MAX_LIMIT)
        };
        let searcher = self.reader.searcher();
        let filters = self.filter_query(q);
        let listing = q.text.trim().is_empty();
        let groups = if listing {
            Vec::new()
        } else {
            query::parse(&q.text)
        };
        if !listing && groups.is_empty() {
            // Only punctuation or operators: nothing to look for.
            return Ok(SearchResults::default());
        }
        let collect_page = q.offset <= MAX_OFFSET;
        let run = |strict: bool| -> Result<(usize, Vec<(f32, DocAddress)>)> {
            let main: Box<dyn Query> = if listing {
                Box::new(AllQuery)
            } else {
                self.text_query(&groups, strict)
            };
            let query: Box<dyn Query> = if filters.is_empty() {
                main
            } else {
                let filter = BooleanQuery::new(
                    filters
                        .iter()
                        .map(|f| (Occur::Must, f.box_clone()))
                        .collect(),
                );
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, main),
                    // Filters restrict but must not change the ranking.
                    (
                        Occur::Must,
                        Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
                    ),
                ]))
            };
            let top = TopDocs::with_limit(limit).and_offset(q.offset.min(MAX_OFFSET));
            Ok(if !collect_page {
                (searcher.search(&query, &Count)?, Vec::new())
            } else if listing {
                let (total, docs) = searcher.search(
                    &query,
                    &(
                        Count,
                        top.order_by_fast_field::<i64>(PUBLISHED_TS, Order::Desc),
                    ),
                )?;
                (total, docs.into_iter().map(|(_, a)| (0.0, a)).collect())
            } else {
                searcher.search(&query, &(Count, top.order_by_score()))?
            })
        };
        // Strict first (every part of a word); only when that finds nothing, any part — so a
        // small column still answers 老旧小区改造 with its items about 小区.
        let (mut total, mut page) = run(true)?;
        if total == 0 && !listing {
            (total, page) = run(false)?;
        }

        let needles: Vec<String> = groups.iter().flat_map(Group::needles).collect();
        let mut hits = Vec::with_capacity(page.len());
        for (score, address) in page {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit(&doc, score, &needles));
        }
        Ok(SearchResults { total, hits })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, needles: &[String]) -> Hit {
        let f = &self.fields;
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let int =
            |field: Field| -> i64 { doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0) };
        let optional = |field: Field| -> Option<String> {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let body = text(f.body);
        let attachments = text(f.attachments);
        let snippet_html = highlight::snippet(&body, needles, SNIPPET_CHARS)
            .or_else(|| highlight::snippet(&attachments, needles, SNIPPET_CHARS))
            .unwrap_or_else(|| {
                let source = if body.trim().is_empty() {
                    &attachments
                } else {
                    &body
                };
                highlight::lead(source, SNIPPET_CHARS)
            });
        Hit {
            item_id: int(f.item_id),
            score,
            title_html: highlight::highlight_all(&text(f.title), needles),
            snippet_html,
            organ_id: int(f.organ_id),
            organ_name: text(f.organ_name),
            genre: text(f.genre),
            validity: text(f.validity),
            published_at: text(f.published_at),
            index_no: optional(f.index_no),
            doc_no: optional(f.doc_no),
        }
    }

    /// Where the index lives (`:memory:` for [`SearchIndex::in_memory`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying tantivy index (diagnostics).
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }
}
