//! `gongkai deadline …`: the application clock of the `law` crate from command-line events.

use crate::cli::{ChannelArg, DeadlineArgs, OutputFormat, PartyArg};
use crate::data_dir;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_law::{Channel, ClockEvent, ClockState, ConsultationParty, Money, Outcome, evaluate};
use std::path::Path;

pub fn run(args: &DeadlineArgs, data_dir: &Path) -> Result<()> {
    let calendar = data_dir::load_calendar(data_dir)?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let events = events_from_args(args, &calendar, today)?;
    let state = evaluate(&events, today, &calendar)?;
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&state)?),
        OutputFormat::Text => print_text(&state),
    }
    Ok(())
}

fn print_text(state: &ClockState) {
    match state.due_date {
        Some(due) => println!("答复期限：{due}（{}）", super::calendar::weekday(due)),
        None => println!("答复期限：无（{}）", state.status.label()),
    }
    if let Some(due) = state.applicant_due_date {
        println!("申请人期限：{due}");
    }
    println!("状态：{}", state.status.label());
    for line in &state.explanation {
        println!("  {line}");
    }
    for warning in &state.warnings {
        println!("注意：{warning}");
    }
}

/// Turns the options into clock events in date order. The law crate decides what is allowed.
fn events_from_args(
    args: &DeadlineArgs,
    calendar: &Calendar,
    today: NaiveDate,
) -> Result<Vec<ClockEvent>> {
    // (date, rank, event): the rank orders events of one day the way they happen.
    let mut events: Vec<(NaiveDate, u8, ClockEvent)> = vec![(
        args.received,
        0,
        ClockEvent::Received {
            on: args.received,
            channel: channel(args.channel),
        },
    )];
    if let Some(on) = args.correction_notice {
        let period_working_days = args.correction_period;
        events.push((
            on,
            1,
            ClockEvent::CorrectionNotice {
                on,
                period_working_days,
            },
        ));
    }
    if let Some(on) = args.corrected {
        events.push((on, 2, ClockEvent::CorrectedReceived { on }));
    }
    for &(from, to) in &args.pause {
        let party = match args.pause_party {
            PartyArg::ThirdParty => ConsultationParty::ThirdParty,
            PartyArg::OtherOrgan => ConsultationParty::OtherOrgan,
        };
        events.push((from, 3, ClockEvent::ConsultationStarted { on: from, party }));
        events.push((to, 4, ClockEvent::ConsultationEnded { on: to }));
    }
    if let Some(on) = args.fee_notice {
        let yuan = args
            .fee_amount
            .context("给出 --fee-notice 时还需要 --fee-amount（元）")?;
        let amount = Money::from_fen(i64::from(yuan) * 100);
        events.push((on, 5, ClockEvent::FeeNotice { on, amount }));
    }
    if let Some(on) = args.fee_paid {
        events.push((on, 6, ClockEvent::FeePaid { on }));
    }
    if let Some(working_days) = args.extend {
        let on = match args.extend_on {
            Some(on) => on,
            // Without a date, the extension is taken as decided on the last day of the period it
            // extends: the latest date the law allows (条例第三十三条第二款).
            None => due_without_extension(&events, calendar, today)?,
        };
        let approver = args.approver.clone();
        events.push((
            on,
            7,
            ClockEvent::Extension {
                on,
                working_days,
                approver,
            },
        ));
    }
    if let Some(on) = args.replied {
        let outcome: Outcome = args.outcome.parse()?;
        events.push((on, 9, ClockEvent::Replied { on, outcome }));
    }
    if let Some(on) = args.withdrawn {
        events.push((on, 9, ClockEvent::Withdrawn { on }));
    }
    events.sort_by_key(|(on, rank, _)| (*on, *rank));
    Ok(events.into_iter().map(|(_, _, e)| e).collect())
}

fn due_without_extension(
    events: &[(NaiveDate, u8, ClockEvent)],
    calendar: &Calendar,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let mut sorted: Vec<&(NaiveDate, u8, ClockEvent)> = events.iter().collect();
    sorted.sort_by_key(|(on, rank, _)| (*on, *rank));
    let base: Vec<ClockEvent> = sorted.into_iter().map(|(_, _, e)| e.clone()).collect();
    let latest = base.iter().map(ClockEvent::on).max().unwrap_or(today);
    let state = evaluate(&base, latest.max(today), calendar)?;
    state
        .due_date
        .context("此时没有正在计算的答复期限，无法延期；请用 --extend-on 指定延期决定日期")
}

fn channel(arg: ChannelArg) -> Channel {
    match arg {
        ChannelArg::InPerson => Channel::InPerson,
        ChannelArg::PostSigned => Channel::PostSigned,
        ChannelArg::PostOrdinary => Channel::PostOrdinary,
        ChannelArg::Online => Channel::Online,
        ChannelArg::Fax => Channel::Fax,
    }
}
