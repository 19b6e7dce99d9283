//! The `activ` command: evaluate, list and audit activ's functions.

mod bench;
mod functions;
mod plot;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use functions::{Params, Shape, FUNCTIONS};

#[derive(Parser)]
#[command(
    name = "activ",
    version,
    about = "Activation functions, exact at the edges"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a function on numbers given as arguments or, if none, on standard input.
    Eval {
        /// The function, as listed by `activ list`.
        function: String,
        /// A parameter, as name=value (e.g. --param beta=2). Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
        params: Vec<(String, f64)>,
        /// Compute in f64 instead of f32.
        #[arg(long)]
        f64: bool,
        /// The inputs (inf, -inf and nan are accepted).
        #[arg(allow_negative_numbers = true)]
        numbers: Vec<String>,
    },
    /// List every function with its formula and parameters.
    List,
    /// Measure every function's accuracy against a high-precision reference and check its
    /// special values, and the same for its derivative (rows `name_grad`) and backward
    /// product dy·f′(x) (rows `name_vjp`), and for the row backward passes of the softmax
    /// family (rows `softmax_backward`, `log_softmax_backward`, `logsumexp_backward`).
    /// Exits non-zero when a bound is exceeded.
    Audit {
        /// Sweep all 2^32 f32 inputs (on every core) instead of every 256th.
        #[arg(long)]
        exhaustive: bool,
        /// Random f64 inputs per function, compared with MPFR.
        #[arg(long, default_value_t = 1_000_000)]
        f64_samples: usize,
        /// Only functions whose name contains this (`sigmoid` selects sigmoid, log_sigmoid,
        /// hard_sigmoid and their `_grad` and `_vjp` rows; `_grad` every derivative;
        /// `softmax` softmax, log_softmax and their `_backward` rows; `backward` the three
        /// row backward passes); `=name` only the row of that name (`=sigmoid`).
        #[arg(long)]
        filter: Option<String>,
    },
    /// Write the book's SVG figures: each function with its derivative, and the error in
    /// ULPs of the naive formulas against activ.
    Plot {
        /// The directory to write the SVG files into.
        #[arg(long, default_value = "book/src/plots")]
        out: PathBuf,
    },
    /// Print a table of speeds (elements per ns) of activ, a copy and the naive loop,
    /// measured in the same run, single thread.
    Bench(bench::BenchArgs),
}

fn parse_param(s: &str) -> Result<(String, f64), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected name=value, got '{s}'"))?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a number"))?;
    Ok((name.trim().to_string(), value))
}

/// Shortest round-trip decimal, in scientific notation when plain would be long.
fn format_number<T: std::fmt::Display + std::fmt::LowerExp + Copy + Into<f64>>(v: T) -> String {
    let a = v.into().abs();
    if a != 0.0 && a.is_finite() && !(1e-5..1e16).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn parse_numbers<T: std::str::FromStr>(words: &[String]) -> Result<Vec<T>, String> {
    words
        .iter()
        .map(|w| w.parse::<T>().map_err(|_| format!("'{w}' is not a number")))
        .collect()
}

fn eval(
    function: &str,
    given: &[(String, f64)],
    use_f64: bool,
    numbers: &[String],
) -> Result<(), String> {
    let function = functions::find(function)
        .ok_or_else(|| format!("unknown function '{function}' (try `activ list`)"))?;
    let params = Params::resolve(function, given)?;
    let mut words = numbers.to_vec();
    if words.is_empty() {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        words = input.split_whitespace().map(str::to_string).collect();
    }
    let lines: Vec<String> = if use_f64 {
        let mut xs: Vec<f64> = parse_numbers(&words)?;
        functions::evaluate_f64(function, &params, &mut xs).map_err(|e| e.to_string())?;
        xs.into_iter().map(format_number).collect()
    } else {
        let mut xs: Vec<f32> = parse_numbers(&words)?;
        functions::evaluate_f32(function, &params, &mut xs).map_err(|e| e.to_string())?;
        xs.into_iter().map(format_number).collect()
    };
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

fn list() {
    for f in FUNCTIONS {
        let params: Vec<String> = f
            .params
            .iter()
            .map(|p| format!("{}={}", p.name, p.default))
            .collect();
        let kind = match f.shape {
            Shape::Elementwise => "",
            Shape::Row | Shape::RowReduce => " [row]",
        };
        if params.is_empty() {
            println!("{:<13} {}{kind}", f.name, f.formula);
        } else {
            println!(
                "{:<13} {}{kind}  (params: {})",
                f.name,
                f.formula,
                params.join(", ")
            );
        }
    }
}

fn audit(exhaustive: bool, f64_samples: usize, filter: Option<String>) -> ExitCode {
    let options = activ_audit::AuditOptions {
        exhaustive,
        f64_samples,
        filter,
        ..Default::default()
    };
    let report = activ_audit::run(&options);
    print!("{report}");
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        eprintln!("activ audit: a bound or special value failed");
        ExitCode::FAILURE
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            // One line: clap's first line, without the usage block.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("error: bad arguments");
            eprintln!("activ: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Eval {
            function,
            params,
            f64,
            numbers,
        } => match eval(&function, &params, f64, &numbers) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("activ: {message}");
                ExitCode::from(2)
            }
        },
        Command::List => {
            list();
            ExitCode::SUCCESS
        }
        Command::Audit {
            exhaustive,
            f64_samples,
            filter,
        } => audit(exhaustive, f64_samples, filter),
        Command::Plot { out } => match plot::run(&out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("activ: {message}");
                ExitCode::from(2)
            }
        },
        Command::Bench(args) => match bench::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("activ: {message}");
                ExitCode::from(2)
            }
        },
    }
}
