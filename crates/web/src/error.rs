//! Errors: configuration and start-up ([`ConfigError`], [`StartError`]) and request errors
//! ([`AppError`]), which become Chinese error pages with the right status code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::StoreError;

use crate::pages::error_page;

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{reason}。请检查路径和读取权限")]
    Read { path: String, reason: String },
    #[error("配置文件 {path} 格式错误：{reason}。可用的键见 `gongkai serve --help`")]
    Parse { path: String, reason: String },
    #[error("配置项 {key} 的值“{value}”无效：{hint}")]
    Invalid {
        key: &'static str,
        value: String,
        hint: &'static str,
    },
    /// The mail settings cannot work (the message names the key and what to write).
    #[error("邮件配置有误：{0}")]
    Mail(String),
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "无法创建数据目录 {path}：{reason}。请检查路径和写入权限，或用 --data-dir 指定其他目录"
    )]
    DataDir { path: String, reason: String },
    #[error("无法监听 {addr}：{reason}。该端口可能已被占用，请用 --bind 换一个端口")]
    Bind { addr: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("服务器运行出错：{0}")]
    Serve(String),
    #[error("{0}")]
    Calendar(String),
}

/// A request that ends in an error page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("页面不存在")]
    NotFound,
    #[error("无权访问")]
    Forbidden,
    #[error("安全校验失败")]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("系统错误：{0}")]
    Internal(String),
    /// Something the server needs is missing (e.g. fonts for PDF); the message says what to do.
    #[error("{0}")]
    Unavailable(String),
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("页面渲染失败：{e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "页面不存在",
                "您要访问的页面不存在或已被删除。请检查网址，或从首页重新进入。".to_owned(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "无权访问",
                "您的账号没有访问此页面或执行此操作的权限。如确需办理，请联系本机关的系统管理员授予相应角色。"
                    .to_owned(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "安全校验失败",
                "表单的安全校验码缺失、错误或已过期（可能页面打开时间过长，或请求并非来自本站页面），操作未执行。请返回上一页，刷新后重新提交。"
                    .to_owned(),
            ),
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, "提交的内容有误", msg.clone()),
            AppError::Unavailable(msg) => {
                tracing::error!(error = %msg, "unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "暂时无法提供",
                    format!("{msg}（请联系系统管理员）"),
                )
            }
            AppError::Store(StoreError::NotFound { .. }) => (
                StatusCode::NOT_FOUND,
                "页面不存在",
                self.to_string(),
            ),
            AppError::Store(e) if !e.is_internal() => {
                (StatusCode::BAD_REQUEST, "提交的内容有误", e.to_string())
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "store error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "系统错误",
                    "系统暂时无法完成此操作，请稍后再试；如持续出现，请联系系统管理员查看服务器日志。"
                        .to_owned(),
                )
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "系统错误",
                    "系统暂时无法完成此操作，请稍后再试；如持续出现，请联系系统管理员查看服务器日志。"
                        .to_owned(),
                )
            }
        };
        error_page(status, title, &message)
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;
