//! Errors of the store. The variants a user can cause carry a Chinese message that says what was
//! wrong and what to do; the internal ones ([`StoreError::is_internal`]) should be logged and shown
//! to the user as a generic "系统错误".

use chrono::{DateTime, Utc};
use gongkai_law::CreditCodeError;

/// Input that failed a domain rule (parse, don't validate): the message is shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A 统一社会信用代码 that failed GB 32100-2015 (checked by `gongkai_law::CreditCode`).
    #[error(transparent)]
    CreditCode(#[from] CreditCodeError),
    #[error("用户名长度应为 {min}～{max} 个字符")]
    UsernameLength { min: usize, max: usize },
    #[error("用户名只能包含英文字母、数字和 . _ -，且须以字母或数字开头")]
    UsernameChars,
    #[error("密码长度至少为 {0} 个字符")]
    PasswordTooShort(usize),
    #[error("密码长度不能超过 {0} 个字符")]
    PasswordTooLong(usize),
    #[error("密码须至少包含小写字母、大写字母、数字、符号中的三类")]
    PasswordTooSimple,
    #[error("密码不能与用户名相同")]
    PasswordEqualsUsername,
    #[error("{field}不能为空")]
    Empty { field: &'static str },
    #[error("{field}不能超过 {max} 个字符")]
    TooLong { field: &'static str, max: usize },
    #[error("{field}含有不允许的控制字符")]
    ControlChars { field: &'static str },
    #[error("“{0}”不是有效的机关类型")]
    UnknownOrganKind(String),
    #[error("“{0}”不是有效的角色")]
    UnknownRole(String),
    #[error("科室（编号 {department_id}）不属于该机关（编号 {organ_id}）")]
    DepartmentOutsideOrgan { department_id: i64, organ_id: i64 },
    #[error("上级机关不能是本机关自身或其下级机关")]
    OrganCycle,
    #[error("“{value}”不在{field}的可选范围内：请从列表中选择，或请系统管理员在“参考数据”中添加")]
    UnknownReferenceTerm { field: &'static str, value: String },
}

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("用户名“{0}”已被使用，请换一个用户名")]
    DuplicateUsername(String),
    #[error("统一社会信用代码“{0}”已被其他机关使用，请核对")]
    DuplicateCreditCode(String),
    #[error("本机关已有名为“{0}”的科室")]
    DuplicateDepartment(String),
    #[error("{what}不存在（编号 {id}）")]
    NotFound { what: &'static str, id: String },
    #[error("用户名或密码错误")]
    InvalidCredentials,
    #[error("登录失败次数过多，已暂时锁定，请于 {minutes} 分钟后再试")]
    LoginLocked {
        /// When the lock ends (UTC).
        until: DateTime<Utc>,
        /// Whole minutes left, rounded up (for the message).
        minutes: i64,
    },
    #[error("该账号已停用，请联系系统管理员")]
    AccountDisabled,
    /// A rule of the domain the input breaks; the message says which and what to do.
    #[error("{0}")]
    Rule(String),
    #[error(transparent)]
    UnknownKey(#[from] gongkai_law::UnknownKeyError),
    #[error(transparent)]
    Editorial(#[from] gongkai_law::EditorialError),
    #[error("发布前请先在机关信息中填写“{0}”的统一社会信用代码：它是索引号的前段码")]
    NoCreditCode(String),
    #[error("{0}")]
    Calendar(#[from] gongkai_calendar::CalendarError),
    #[error("本年度索引号流水号已用尽（99999）：请联系系统管理员")]
    IndexNoExhausted,
    #[error("信息已被他人修改（当前为第 {current} 版），请刷新后重新修改")]
    StaleVersion { current: i64 },
    #[error("任务已被其他进程接手（租约已过期），本次结果未保存")]
    LeaseLost,
    /// A write transaction was committed without an audit entry: a programming error. The
    /// transaction has been rolled back.
    #[error("系统错误：写入操作未记录审计日志，已撤销")]
    MissingAudit,
    #[error("不支持的数据库地址：应以 sqlite:// 或 postgres:// 开头")]
    UnsupportedUrl,
    #[error("系统错误：密码处理失败")]
    PasswordHash,
    #[error("系统错误：无法取得随机数")]
    Randomness,
    #[error("系统错误：数据库中的数据无法读取（{0}）")]
    Corrupt(String),
    #[error("系统错误：数据库访问失败（{0}）")]
    Database(#[from] sqlx::Error),
    #[error("系统错误：数据库迁移失败（{0}）")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// True for errors the user cannot fix (database down, corrupt data, bugs): log them and show a
    /// generic message; false for errors whose Display is meant for the user.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            StoreError::MissingAudit
                | StoreError::UnsupportedUrl
                | StoreError::PasswordHash
                | StoreError::Randomness
                | StoreError::Corrupt(_)
                | StoreError::Database(_)
                | StoreError::Migrate(_)
        )
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

impl From<CreditCodeError> for StoreError {
    fn from(err: CreditCodeError) -> Self {
        StoreError::Invalid(err.into())
    }
}

/// Result alias of the crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// True when `err` is a unique-constraint violation (both backends).
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
