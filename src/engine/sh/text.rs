//! Text filters of busybox the interpreter runs itself, as pure functions over the input text:
//! `sort`, `uniq`, `cut`, `tr` and the `{ print … }` subset of `awk` (what command lines do with
//! `kubectl get … | …`). Each returns what it writes to stdout, or busybox's usage error.

/// The value of option `flag` when `a` is it: `-X VALUE` (taking the next argument, `i` moves
/// past it; empty when there is none) or `-XVALUE`.
fn opt_value(args: &[String], i: &mut usize, a: &str, flag: &str) -> Option<String> {
    match a.strip_prefix(flag)? {
        "" => {
            *i += 1;
            Some(args.get(*i - 1).cloned().unwrap_or_default())
        }
        v => Some(v.to_string()),
    }
}

/// `sort [-r] [-n] [-u] [-k N] [-t SEP] [FILE…]` (the files are read by the caller).
pub fn sort(args: &[String], text: &str) -> Result<String, String> {
    let (mut reverse, mut numeric, mut unique) = (false, false, false);
    let mut key: Option<usize> = None;
    let mut sep: Option<char> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if let Some(k) = opt_value(args, &mut i, a, "-k") {
            key = field_number(&k);
            continue;
        }
        if let Some(t) = opt_value(args, &mut i, a, "-t") {
            sep = t.chars().next();
            continue;
        }
        match a.as_str() {
            f if f.starts_with('-') && f.len() > 1 => {
                for c in f.chars().skip(1) {
                    match c {
                        'r' => reverse = true,
                        'n' => numeric = true,
                        'u' => unique = true,
                        'f' | 'b' | 's' => {}
                        other => return Err(format!("sort: unrecognized option '-{other}'")),
                    }
                }
            }
            _ => {}
        }
    }
    let sort_key = |line: &str| -> String {
        match key {
            None => line.to_string(),
            Some(k) => fields(line, sep)
                .into_iter()
                .skip(k.saturating_sub(1))
                .collect::<Vec<_>>()
                .join(&sep.map_or(" ".to_string(), |c| c.to_string())),
        }
    };
    let number = |s: &str| -> f64 {
        let t = s.trim_start();
        let end = t
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
            .map_or(t.len(), |(i, _)| i);
        t.get(..end).and_then(|n| n.parse().ok()).unwrap_or(0.0)
    };
    // Each line's key (and its number) once, not once per comparison.
    let mut lines: Vec<(String, f64, &str)> = text
        .lines()
        .map(|l| {
            let k = sort_key(l);
            let n = if numeric { number(&k) } else { 0.0 };
            (k, n, l)
        })
        .collect();
    crate::engine::sort::sort_by(&mut lines, |(ka, na, a), (kb, nb, b)| {
        let ord = if numeric {
            na.partial_cmp(nb)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.cmp(b))
        } else {
            ka.cmp(kb).then_with(|| a.cmp(b))
        };
        if reverse {
            ord.reverse()
        } else {
            ord
        }
    });
    if unique {
        lines.dedup_by(|a, b| a.0 == b.0);
    }
    Ok(lines.iter().map(|(_, _, l)| format!("{l}\n")).collect())
}

fn field_number(s: &str) -> Option<usize> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Fields split on `sep`, or on runs of blanks.
fn fields(line: &str, sep: Option<char>) -> Vec<&str> {
    match sep {
        Some(c) => line.split(c).collect(),
        None => line.split_whitespace().collect(),
    }
}

/// `uniq [-c] [-d] [-u]`.
pub fn uniq(args: &[String], text: &str) -> Result<String, String> {
    let (mut count, mut dups, mut singles) = (false, false, false);
    for a in args.iter().filter(|a| a.starts_with('-') && a.len() > 1) {
        for c in a.chars().skip(1) {
            match c {
                'c' => count = true,
                'd' => dups = true,
                'u' => singles = true,
                other => return Err(format!("uniq: unrecognized option '-{other}'")),
            }
        }
    }
    let mut out = String::new();
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for line in text.lines() {
        match groups.last_mut() {
            Some((prev, n)) if *prev == line => *n += 1,
            _ => groups.push((line, 1)),
        }
    }
    for (line, n) in groups {
        if (dups && n < 2) || (singles && n > 1) {
            continue;
        }
        if count {
            out.push_str(&format!("{n:>7} {line}\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// `cut -d SEP -f LIST` or `cut -c LIST` (LIST: `N`, `N,M`, `N-M`, `N-`, `-M`).
pub fn cut(args: &[String], text: &str) -> Result<String, String> {
    let mut delim = '\t';
    let mut list: Option<(String, bool)> = None;
    let mut only_delimited = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if let Some(d) = opt_value(args, &mut i, a, "-d") {
            delim = d.chars().next().unwrap_or('\t');
        } else if let Some(f) = opt_value(args, &mut i, a, "-f") {
            list = Some((f, true));
        } else if let Some(c) = opt_value(args, &mut i, a, "-c") {
            list = Some((c, false));
        } else if a == "-s" {
            only_delimited = true;
        }
    }
    let Some((spec, by_field)) = list else {
        return Err("cut: expected a list of bytes, characters, or fields".to_string());
    };
    let mut ranges = Vec::new();
    for part in spec.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a, b),
            None => (part, part),
        };
        let lo: usize = if a.is_empty() {
            1
        } else {
            a.parse()
                .map_err(|_| format!("cut: invalid number '{part}'"))?
        };
        let hi: usize = if b.is_empty() {
            usize::MAX
        } else {
            b.parse()
                .map_err(|_| format!("cut: invalid number '{part}'"))?
        };
        if lo == 0 {
            return Err("cut: fields and positions are numbered from 1".to_string());
        }
        ranges.push((lo, hi));
    }
    let pick = |n: usize| ranges.iter().any(|&(lo, hi)| n >= lo && n <= hi);
    let mut out = String::new();
    for line in text.lines() {
        if by_field {
            if !line.contains(delim) {
                if !only_delimited {
                    out.push_str(line);
                    out.push('\n');
                }
                continue;
            }
            let picked: Vec<&str> = line
                .split(delim)
                .enumerate()
                .filter(|(i, _)| pick(i + 1))
                .map(|(_, f)| f)
                .collect();
            out.push_str(&picked.join(&delim.to_string()));
        } else {
            out.extend(
                line.chars()
                    .enumerate()
                    .filter(|(i, _)| pick(i + 1))
                    .map(|(_, c)| c),
            );
        }
        out.push('\n');
    }
    Ok(out)
}

/// A `tr` set: characters and `a-z` ranges (and `\n`, `\t`).
fn tr_set(s: &str) -> Vec<char> {
    let chars: Vec<char> = s
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("[:lower:]", "a-z")
        .replace("[:upper:]", "A-Z")
        .replace("[:digit:]", "0-9")
        .replace("[:space:]", " \t\n")
        .chars()
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match (chars.get(i + 1), chars.get(i + 2)) {
            (Some('-'), Some(&end)) if end >= c && (end as u32 - c as u32) < 0x1_0000 => {
                out.extend((c..=end).take(0x1_0000));
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `tr SET1 SET2`, `tr -d SET`, `tr -s SET`.
pub fn tr(args: &[String], text: &str) -> Result<String, String> {
    let (mut delete, mut squeeze) = (false, false);
    let mut sets = Vec::new();
    for a in args {
        match a.as_str() {
            "-d" => delete = true,
            "-s" => squeeze = true,
            "-ds" | "-sd" => {
                delete = true;
                squeeze = true;
            }
            s => sets.push(tr_set(s)),
        }
    }
    let Some(from) = sets.first() else {
        return Err("tr: missing operand".to_string());
    };
    let to = sets.get(1);
    let mut out = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    for c in text.chars() {
        let mapped = if let Some(pos) = from.iter().position(|&x| x == c) {
            if delete {
                continue;
            }
            match to {
                Some(t) => t.get(pos).or(t.last()).copied().unwrap_or(c),
                None => c,
            }
        } else {
            c
        };
        let squeezable = to.map_or(from.contains(&mapped), |t| t.contains(&mapped));
        if squeeze && last == Some(mapped) && squeezable {
            continue;
        }
        last = Some(mapped);
        out.push(mapped);
    }
    Ok(out)
}

/// `awk [-F SEP] 'PROGRAM'` for programs made of `[/REGEX/] { print ITEMS }` (items: `$N`,
/// `$0`, `NF`, `NR`, `$NF`, string literals; commas print the output separator). Anything else
/// is refused rather than misread.
pub fn awk(args: &[String], text: &str) -> Result<String, String> {
    let mut sep: Option<String> = None;
    let mut program: Option<&str> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if let Some(s) = opt_value(args, &mut i, a, "-F") {
            sep = Some(s);
        } else if program.is_none() {
            program = Some(a);
        }
    }
    let unsupported = || {
        "awk: kubeplay's awk runs only '{ print $1, $2 }'-style programs (with an optional /pattern/ before them)".to_string()
    };
    let program = program.ok_or_else(|| "awk: no program".to_string())?.trim();
    let (pattern, body) = match program.strip_prefix('/') {
        Some(rest) => {
            let (re, after) = rest.split_once('/').ok_or_else(unsupported)?;
            (Some(re.to_string()), after.trim())
        }
        None => (None, program),
    };
    let inner = body
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .map(str::trim)
        .unwrap_or(if body.is_empty() { "print" } else { "" });
    let items = match inner.strip_prefix("print") {
        Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => rest.trim(),
        _ => return Err(unsupported()),
    };
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(p) = &pattern {
            if !line.contains(p.as_str()) {
                continue;
            }
        }
        let f: Vec<&str> = match sep.as_deref() {
            Some(s) if !s.is_empty() && s != " " => line.split(s).collect(),
            _ => line.split_whitespace().collect(),
        };
        if items.is_empty() {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut printed = String::new();
        for (k, item) in items.split(',').enumerate() {
            if k > 0 {
                printed.push(' ');
            }
            for word in item.split_whitespace() {
                let value = match word {
                    "$0" => line.to_string(),
                    "NR" => (n + 1).to_string(),
                    "NF" => f.len().to_string(),
                    "$NF" => f.last().copied().unwrap_or_default().to_string(),
                    w if w.starts_with('"') && w.ends_with('"') && w.len() >= 2 => {
                        w.get(1..w.len() - 1).unwrap_or_default().to_string()
                    }
                    w => match w.strip_prefix('$').and_then(|d| d.parse::<usize>().ok()) {
                        Some(idx) => f
                            .get(idx.wrapping_sub(1))
                            .copied()
                            .unwrap_or_default()
                            .to_string(),
                        None => return Err(unsupported()),
                    },
                };
                printed.push_str(&value);
            }
        }
        out.push_str(&printed);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn filters_do_what_busybox_does() {
        let table = "b 2\na 10\nc 1\na 10\n";
        assert_eq!(sort(&v(&[]), table).unwrap(), "a 10\na 10\nb 2\nc 1\n");
        assert_eq!(sort(&v(&["-u"]), table).unwrap(), "a 10\nb 2\nc 1\n");
        assert_eq!(
            sort(&v(&["-k2", "-n"]), table).unwrap(),
            "c 1\nb 2\na 10\na 10\n"
        );
        assert_eq!(
            sort(&v(&["-rn", "-k", "2"]), table).unwrap(),
            "a 10\na 10\nb 2\nc 1\n"
        );
        assert_eq!(
            uniq(&v(&["-c"]), "x\nx\ny\n").unwrap(),
            "      2 x\n      1 y\n"
        );
        assert_eq!(
            cut(&v(&["-d/", "-f2"]), "pod/a\npod/b\n").unwrap(),
            "a\nb\n"
        );
        assert_eq!(
            cut(&v(&["-d", " ", "-f", "1,3"]), "a b c d\n").unwrap(),
            "a c\n"
        );
        assert_eq!(cut(&v(&["-c1-3"]), "abcdef\n").unwrap(), "abc\n");
        assert_eq!(tr(&v(&["a-z", "A-Z"]), "pod/web\n").unwrap(), "POD/WEB\n");
        assert_eq!(tr(&v(&["-d", "\\n"]), "a\nb\n").unwrap(), "ab");
        assert_eq!(tr(&v(&[" ", "\\n"]), "a b").unwrap(), "a\nb");
        assert_eq!(
            awk(&v(&["{print $1}"]), "NAME READY\nweb 1/1\n").unwrap(),
            "NAME\nweb\n"
        );
        assert_eq!(awk(&v(&["{ print $2, $1 }"]), "a b\n").unwrap(), "b a\n");
        assert_eq!(
            awk(&v(&["-F/", "{print $NF}"]), "pod/web\n").unwrap(),
            "web\n"
        );
        assert_eq!(
            awk(&v(&["/Run/ {print $1}"]), "a Running\nb Error\n").unwrap(),
            "a\n"
        );
        assert!(awk(&v(&["{sum += $2} END {print sum}"]), "a 1\n").is_err());
        assert!(cut(&v(&["-f0"]), "x\n").is_err());
    }
}
