//! Domain newtypes: credit codes, user names, the password policy, roles. No database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gongkai_store::{
    CreditCode, CreditCodeError, OrganKind, Password, Role, Username, ValidationError,
};

/// Published codes (organs and well-known companies from their public registration records).
const REAL_CODES: &[&str] = &[
    "11100000000013127D", // a State Council body (central organ, 机构编制 registration)
    "91440300708461136T", // 深圳市腾讯计算机系统有限公司
    "91330100716105852F", // 阿里巴巴（中国）有限公司
    "914403001922038216", // 华为技术有限公司
    "91110108551385082Q", // 北京小米科技有限责任公司
];

#[test]
fn real_codes_validate() {
    for code in REAL_CODES {
        let parsed = CreditCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(parsed.as_str(), *code);
    }
}

#[test]
fn changing_any_character_of_a_real_code_is_caught() {
    for code in REAL_CODES {
        for i in 0..18 {
            for replacement in ['0', '7', 'A', 'Y'] {
                let mut chars: Vec<char> = code.chars().collect();
                if chars[i] == replacement {
                    continue;
                }
                chars[i] = replacement;
                let changed: String = chars.into_iter().collect();
                assert!(CreditCode::parse(&changed).is_err(), "{changed} accepted");
            }
        }
    }
}

#[test]
fn swapping_adjacent_characters_is_caught() {
    for code in REAL_CODES {
        for i in 0..17 {
            let mut chars: Vec<char> = code.chars().collect();
            if chars[i] == chars[i + 1] {
                continue;
            }
            chars.swap(i, i + 1);
            let changed: String = chars.into_iter().collect();
            assert!(CreditCode::parse(&changed).is_err(), "{changed} accepted");
        }
    }
}

#[test]
fn check_char_is_computed_and_zero_case_handled() {
    assert_eq!(CreditCode::check_char_for("91440300708461136"), Some('T'));
    // Find a body whose check value is 31 → '0' and make sure it validates.
    let zero_body = (0..10_000u32)
        .map(|n| format!("911100007{n:08}"))
        .find(|b| CreditCode::check_char_for(b) == Some('0'))
        .unwrap();
    assert!(CreditCode::parse(&format!("{zero_body}0")).is_ok());
    assert_eq!(CreditCode::check_char_for("too short"), None);
    assert_eq!(CreditCode::check_char_for("9144030070846113I"), None);
}

#[test]
fn typed_input_is_normalised() {
    let code = CreditCode::parse("  91440300708461136t ").unwrap();
    assert_eq!(code.as_str(), "91440300708461136T");
    // Full-width characters as typed with a Chinese input method.
    let code = CreditCode::parse("９１４４０３００７０８４６１１３６Ｔ").unwrap();
    assert_eq!(code.as_str(), "91440300708461136T");
}

#[test]
fn bad_codes_get_chinese_messages() {
    let e = CreditCode::parse("123").unwrap_err();
    assert_eq!(e, CreditCodeError::Length(3));
    assert!(e.to_string().contains("18 位"), "{e}");

    let e = CreditCode::parse("91440300708461136I").unwrap_err();
    assert!(matches!(
        e,
        CreditCodeError::Char {
            position: 18,
            found: 'I'
        }
    ));
    assert!(e.to_string().contains("第 18 位"), "{e}");

    let e = CreditCode::parse("9144A300708461136T").unwrap_err();
    assert_eq!(e, CreditCodeError::Division);

    let e = CreditCode::parse("91440300708461136U").unwrap_err();
    assert_eq!(e, CreditCodeError::CheckDigit { expected: 'T' });
    assert!(e.to_string().contains("“T”"), "{e}");

    assert!(CreditCode::parse("").is_err());
    assert!(CreditCode::parse("'; DROP TABLE organs; --").is_err());
}

#[test]
fn credit_code_serde_validates() {
    let ok: CreditCode = serde_json::from_str("\"91440300708461136T\"").unwrap();
    assert_eq!(
        serde_json::to_string(&ok).unwrap(),
        "\"91440300708461136T\""
    );
    assert!(serde_json::from_str::<CreditCode>("\"91440300708461136U\"").is_err());
}

#[test]
fn usernames() {
    assert_eq!(Username::parse(" ZhangSan ").unwrap().as_str(), "zhangsan");
    assert_eq!(
        Username::parse("wang.wu-2_x").unwrap().as_str(),
        "wang.wu-2_x"
    );
    assert_eq!(Username::parse("1024").unwrap().as_str(), "1024");
    for bad in [
        "",
        "a",
        "张三",
        ".hidden",
        "-x",
        "a b",
        "a'--",
        &"x".repeat(33),
    ] {
        let e = Username::parse(bad).unwrap_err();
        assert!(
            matches!(
                e,
                ValidationError::UsernameChars | ValidationError::UsernameLength { .. }
            ),
            "{bad}: {e:?}"
        );
        assert!(e.to_string().contains("用户名"), "{e}");
    }
}

#[test]
fn password_policy() {
    let user = Username::parse("zhangsan").unwrap();
    // Three of four classes, long enough.
    for ok in [
        "Gongkai2026x",      // lower upper digit
        "gongkai-2026-x",    // lower digit symbol
        "GONGKAI#公开#2026", // upper symbol(CJK counts) digit
        "Gongkai-Zhengwu",   // lower upper symbol
    ] {
        assert!(Password::new(ok, &user).is_ok(), "{ok}");
    }
    assert_eq!(
        Password::new("Ab1!", &user).unwrap_err(),
        ValidationError::PasswordTooShort(10)
    );
    assert_eq!(
        Password::new("gongkaizhengwu", &user).unwrap_err(),
        ValidationError::PasswordTooSimple
    );
    assert_eq!(
        Password::new("gongkai20261", &user).unwrap_err(),
        ValidationError::PasswordTooSimple
    );
    assert_eq!(
        Password::new(&"Aa1!".repeat(40), &user).unwrap_err(),
        ValidationError::PasswordTooLong(128)
    );
    let long_name = Username::parse("Zhang.San.2026").unwrap();
    assert_eq!(
        Password::new("ZHANG.SAN.2026", &long_name).unwrap_err(),
        ValidationError::PasswordEqualsUsername
    );
    // Chinese messages.
    assert_eq!(
        ValidationError::PasswordTooShort(10).to_string(),
        "密码长度至少为 10 个字符"
    );
    assert!(
        ValidationError::PasswordTooSimple
            .to_string()
            .contains("三类")
    );
    assert_eq!(
        ValidationError::PasswordEqualsUsername.to_string(),
        "密码不能与用户名相同"
    );
    // Never printed.
    let pw = Password::new("Gongkai2026x", &user).unwrap();
    assert!(!format!("{pw:?}").contains("Gongkai2026x"));
}

#[test]
fn roles_and_kinds_have_codes_and_chinese_labels() {
    let labels: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        [
            "系统管理员",
            "信息公开专员",
            "编辑",
            "审核人",
            "科室承办人",
            "监督员"
        ]
    );
    for role in Role::ALL {
        assert_eq!(Role::from_code(role.code()).unwrap(), *role);
        assert_eq!(
            serde_json::to_string(role).unwrap(),
            format!("\"{}\"", role.code())
        );
    }
    assert_eq!(Role::Handler.to_string(), "科室承办人");
    assert!(Role::from_code("root").is_err());
    for kind in OrganKind::ALL {
        assert_eq!(OrganKind::from_code(kind.code()).unwrap(), *kind);
    }
    assert_eq!(OrganKind::Subdistrict.label(), "街道办事处");
}
