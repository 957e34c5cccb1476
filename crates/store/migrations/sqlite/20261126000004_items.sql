-- Proactive disclosure (主动公开): items with the 政府信息公开目录 metadata, their channels,
-- versions and attachments; the 索引号 counters; reference data for 主题分类 and 基层政务公开 domains.
-- Dates (成文日期, 发布日期, due dates) are 'YYYY-MM-DD' text; instants RFC 3339 UTC text.

-- Editable reference data: kind 'topic' (主题分类, "一级\二级") or 'domain' (基层政务公开领域).
CREATE TABLE reference_terms (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('topic', 'domain')),
    name     TEXT    NOT NULL,
    sort     INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    UNIQUE (kind, name)
);

-- The last serial of the 索引号 "credit_code/YYYY-NNNNN" per organ and year: serials are taken
-- by an atomic upsert inside the publishing transaction, so they are never reused.
CREATE TABLE index_no_counters (
    organ_id    INTEGER NOT NULL REFERENCES organs (id),
    year        INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (organ_id, year)
);

CREATE TABLE items (
    id                 INTEGER PRIMARY KEY,
    organ_id           INTEGER NOT NULL REFERENCES organs (id),
    department_id      INTEGER NULL REFERENCES departments (id),
    state              TEXT    NOT NULL
        CHECK (state IN ('draft', 'in_review', 'published', 'withheld', 'withdrawn')),
    index_no           TEXT    NULL UNIQUE,
    title              TEXT    NOT NULL,
    summary            TEXT    NOT NULL DEFAULT '',
    body_html          TEXT    NOT NULL DEFAULT '',
    body_text          TEXT    NOT NULL DEFAULT '',
    genre              TEXT    NOT NULL,
    topic              TEXT    NOT NULL,
    domain             TEXT    NULL,
    art20_item         INTEGER NULL CHECK (art20_item BETWEEN 1 AND 15),
    doc_no             TEXT    NULL,
    keywords           TEXT    NOT NULL DEFAULT '',
    formed_on          TEXT    NOT NULL,
    due_on             TEXT    NOT NULL,
    published_on       TEXT    NULL,
    published_at       TEXT    NULL,
    validity           TEXT    NULL CHECK (validity IN ('valid', 'expired', 'repealed')),
    validity_changed_on TEXT   NULL,
    validity_reason    TEXT    NULL,
    interprets_item_id INTEGER NULL REFERENCES items (id),
    author_id          INTEGER NULL REFERENCES users (id),
    reviewer_id        INTEGER NULL REFERENCES users (id),
    secrecy_checks     TEXT    NOT NULL DEFAULT '',
    review_note        TEXT    NULL,
    withhold_basis     TEXT    NULL,
    rereview_on        TEXT    NULL,
    withdrawn_on       TEXT    NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX items_public ON items (organ_id, state, published_on DESC, id DESC);
CREATE INDEX items_public_all ON items (state, published_on DESC, id DESC);
CREATE INDEX items_art20 ON items (organ_id, art20_item, state, published_on DESC);
CREATE INDEX items_work ON items (organ_id, state, due_on);
CREATE INDEX items_interprets ON items (interprets_item_id);

CREATE TABLE item_channels (
    item_id INTEGER NOT NULL REFERENCES items (id),
    channel TEXT    NOT NULL,
    PRIMARY KEY (item_id, channel)
);
CREATE INDEX item_channels_channel ON item_channels (channel, item_id);

-- Every published state of an item (publication, each revision): the history staff see.
CREATE TABLE item_versions (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES items (id),
    version       INTEGER NOT NULL,
    snapshot_json TEXT    NOT NULL,
    reason        TEXT    NOT NULL DEFAULT '',
    changed_by    INTEGER NULL REFERENCES users (id),
    changed_at    TEXT    NOT NULL,
    UNIQUE (item_id, version)
);

CREATE TABLE item_attachments (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES items (id),
    file_name  TEXT    NOT NULL,
    media_type TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    size_bytes INTEGER NOT NULL,
    text       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);
CREATE INDEX item_attachments_item ON item_attachments (item_id);

-- Seed reference data (editable in the back office). 主题分类 after the gov.cn 主题分类; domains after the
-- 基层政务公开标准指引 (legal-rules.md §F.5: the full list of 26 is UNCONFIRMED, hence editable data).
INSERT INTO reference_terms (kind, name, sort) VALUES
    ('topic', '综合政务\政务公开', 0),
    ('topic', '综合政务\应急管理', 1),
    ('topic', '综合政务\政务督查', 2),
    ('topic', '综合政务\其他', 3),
    ('topic', '国务院组织机构\其他', 4),
    ('topic', '国民经济管理、国有资产监管\其他', 5),
    ('topic', '财政、金融、审计\财政', 6),
    ('topic', '财政、金融、审计\审计', 7),
    ('topic', '国土资源、能源\土地', 8),
    ('topic', '农业、林业、水利\其他', 9),
    ('topic', '工业、交通\其他', 10),
    ('topic', '商贸、海关、旅游\其他', 11),
    ('topic', '市场监管、安全生产监管\安全生产监管', 12),
    ('topic', '市场监管、安全生产监管\食品药品监管', 13),
    ('topic', '城乡建设、环境保护\城乡建设（含住房）', 14),
    ('topic', '城乡建设、环境保护\环境监测、保护与治理', 15),
    ('topic', '科技、教育\教育', 16),
    ('topic', '文化、广电、新闻出版\文化', 17),
    ('topic', '卫生、体育\卫生', 18),
    ('topic', '卫生、体育\体育', 19),
    ('topic', '人口与计划生育、妇女儿童工作\其他', 20),
    ('topic', '劳动、人事、监察\就业', 21),
    ('topic', '劳动、人事、监察\人事工作', 22),
    ('topic', '劳动、人事、监察\社会保障', 23),
    ('topic', '公安、安全、司法\公共安全', 24),
    ('topic', '公安、安全、司法\司法', 25),
    ('topic', '民政、扶贫、救灾\社会救助', 26),
    ('topic', '民政、扶贫、救灾\减灾救灾', 27),
    ('topic', '民政、扶贫、救灾\其他', 28),
    ('topic', '民族、宗教\其他', 29),
    ('topic', '其他\其他', 30);
INSERT INTO reference_terms (kind, name, sort) VALUES
    ('domain', '重大建设项目', 0),
    ('domain', '公共资源交易', 1),
    ('domain', '财政预决算', 2),
    ('domain', '安全生产', 3),
    ('domain', '税收管理', 4),
    ('domain', '征地补偿', 5),
    ('domain', '国有土地上房屋征收与补偿', 6),
    ('domain', '农村危房改造', 7),
    ('domain', '扶贫', 8),
    ('domain', '就业', 9),
    ('domain', '社会救助', 10),
    ('domain', '养老服务', 11),
    ('domain', '户籍管理', 12),
    ('domain', '涉农补贴', 13),
    ('domain', '食品药品监管', 14),
    ('domain', '城乡规划', 15),
    ('domain', '环境保护', 16),
    ('domain', '生态环境', 17),
    ('domain', '公共文化服务', 18),
    ('domain', '公共法律服务', 19),
    ('domain', '医疗卫生', 20),
    ('domain', '义务教育', 21),
    ('domain', '救灾', 22),
    ('domain', '市政服务', 23),
    ('domain', '住房保障', 24),
    ('domain', '退役军人服务', 25);
