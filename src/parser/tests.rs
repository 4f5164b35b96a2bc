//! Parser unit tests: tables of source text and a compact rendering of the
//! tree, one table per construct, named after the behaviour.
#![allow(clippy::unwrap_used)]

use super::ast::*;
use super::*;

// ---- a compact rendering of the tree ----

fn w(word: &Word) -> String {
    parts(&word.parts)
}

fn parts(ps: &[WordPart]) -> String {
    let mut s = String::new();
    for p in ps {
        match p {
            WordPart::Literal(t) => s.push_str(t),
            WordPart::Quoted(t) => s.push_str(&format!("'{t}'")),
            WordPart::DoubleQuoted(inner) => s.push_str(&format!("\"{}\"", parts(inner))),
            WordPart::Param(pe) => s.push_str(&param(pe)),
            WordPart::CommandSub(l) => s.push_str(&format!("$({})", list(l))),
            WordPart::FunSub(l, reply) => s.push_str(&format!(
                "${{{} {}}}",
                if *reply { "|" } else { "" },
                list(l)
            )),
            WordPart::Arith(x) => s.push_str(&format!("$(({}))", w(x))),
            WordPart::Tilde(u) => s.push_str(&format!("~<{u}>")),
            WordPart::ProcessSub(l, inp) => {
                s.push_str(&format!("{}({})", if *inp { '<' } else { '>' }, list(l)))
            }
        }
    }
    s
}

fn param(pe: &ParamExp) -> String {
    let mut s = String::from("${");
    if pe.indirect {
        s.push('!');
    }
    s.push_str(&pe.name);
    if let Some(i) = &pe.index {
        s.push_str(&format!("[{}]", w(i)));
    }
    let c = |colon: &bool| if *colon { ":" } else { "" };
    let op = match &pe.op {
        ParamOp::Plain => String::new(),
        ParamOp::Length => " len".into(),
        ParamOp::Default { colon, word } => format!(" {}- {}", c(colon), w(word)),
        ParamOp::Assign { colon, word } => format!(" {}= {}", c(colon), w(word)),
        ParamOp::Error { colon, word } => format!(" {}? {}", c(colon), w(word)),
        ParamOp::Alternative { colon, word } => format!(" {}+ {}", c(colon), w(word)),
        ParamOp::RemovePrefix { longest, pattern } => {
            format!(" {} {}", if *longest { "##" } else { "#" }, w(pattern))
        }
        ParamOp::RemoveSuffix { longest, pattern } => {
            format!(" {} {}", if *longest { "%%" } else { "%" }, w(pattern))
        }
        ParamOp::Replace {
            mode,
            pattern,
            replacement,
        } => format!(" {mode:?} {} {}", w(pattern), w(replacement)),
        ParamOp::Substring { offset, length } => format!(
            " sub {} {}",
            w(offset),
            length.as_ref().map(w).unwrap_or("-".into())
        ),
        ParamOp::Case {
            upper,
            all,
            pattern,
        } => format!(
            " case{}{} {}",
            match upper {
                Some(true) => "^",
                Some(false) => ",",
                None => "~",
            },
            all,
            w(pattern)
        ),
        ParamOp::NamesWithPrefix { at } => format!(" names{}", if *at { "@" } else { "*" }),
        ParamOp::ArrayKeys { at } => format!(" keys{}", if *at { "@" } else { "*" }),
        ParamOp::Transform { op } => format!(" @{op}"),
        ParamOp::Invalid { text } => format!(" invalid {text}"),
    };
    s.push_str(&op);
    s.push('}');
    s
}

fn redir(r: &Redirect) -> String {
    let mut s = String::new();
    if let Some(fd) = r.fd {
        s.push_str(&fd.to_string());
    }
    if let Some(v) = &r.fd_var {
        s.push_str(&format!("{{{v}}}"));
    }
    s.push_str(&format!("{:?}", r.op));
    match &r.target {
        RedirTarget::Word(x) => s.push_str(&format!(" {}", w(x))),
        RedirTarget::HereDoc(h) => s.push_str(&format!(
            "{}[{}]",
            if h.expand { "" } else { "q" },
            parts(&h.body)
        )),
    }
    s
}

fn assign(a: &Assignment) -> String {
    let mut s = a.name.clone();
    if let Some(i) = &a.index {
        s.push_str(&format!("[{}]", w(i)));
    }
    s.push_str(if a.append { "+=" } else { "=" });
    match &a.value {
        AssignValue::Scalar(x) => s.push_str(&w(x)),
        AssignValue::Array(ws) => s.push_str(&format!(
            "({})",
            ws.iter().map(w).collect::<Vec<_>>().join(" ")
        )),
    }
    s
}

fn cond(e: &CondExpr) -> String {
    match e {
        CondExpr::Unary(op, x) => format!("(-{op} {})", w(x)),
        CondExpr::Binary(a, op, b) => format!("({} {op} {})", w(a), w(b)),
        CondExpr::Word(x) => w(x),
        CondExpr::Not(x) => format!("!{}", cond(x)),
        CondExpr::And(a, b) => format!("({} && {})", cond(a), cond(b)),
        CondExpr::Or(a, b) => format!("({} || {})", cond(a), cond(b)),
    }
}

fn command(c: &Command) -> String {
    match c {
        Command::Simple(s) => {
            let mut v: Vec<String> = s.assignments.iter().map(assign).collect();
            v.extend(s.words.iter().map(w));
            v.extend(s.redirects.iter().map(redir));
            format!("[{}]", v.join(" "))
        }
        Command::Compound(cc, rs) => {
            let mut s = compound(cc);
            for r in rs {
                s.push(' ');
                s.push_str(&redir(r));
            }
            s
        }
        Command::FunctionDef(f) => format!("fn {} {}", f.name, command(&f.body)),
        Command::Coproc(c) => format!("coproc {} {}", c.name, command(&c.body)),
    }
}

fn compound(cc: &CompoundCommand) -> String {
    match cc {
        CompoundCommand::BraceGroup(l) => format!("{{{}}}", list(l)),
        CompoundCommand::Subshell(l) => format!("({})", list(l)),
        CompoundCommand::If {
            branches,
            else_branch,
        } => {
            let mut s = String::from("if");
            for (c, b) in branches {
                s.push_str(&format!(" {} then {}", list(c), list(b)));
            }
            if let Some(e) = else_branch {
                s.push_str(&format!(" else {}", list(e)));
            }
            s + " fi"
        }
        CompoundCommand::Loop {
            until,
            condition,
            body,
        } => format!(
            "{} {} do {} done",
            if *until { "until" } else { "while" },
            list(condition),
            list(body)
        ),
        CompoundCommand::For { var, words, body } => format!(
            "for {var}{} do {} done",
            words
                .as_ref()
                .map(|ws| format!(" in {}", ws.iter().map(w).collect::<Vec<_>>().join(" ")))
                .unwrap_or_default(),
            list(body)
        ),
        CompoundCommand::Select { var, words, body } => format!(
            "select {var}{} do {} done",
            words
                .as_ref()
                .map(|ws| format!(" in {}", ws.iter().map(w).collect::<Vec<_>>().join(" ")))
                .unwrap_or_default(),
            list(body)
        ),
        CompoundCommand::ArithFor {
            init,
            condition,
            step,
            body,
        } => format!(
            "for (({};{};{})) do {} done",
            w(init),
            w(condition),
            w(step),
            list(body)
        ),
        CompoundCommand::Case { word, arms } => {
            let mut s = format!("case {} in", w(word));
            for a in arms {
                let pats: Vec<String> = a.patterns.iter().map(w).collect();
                s.push_str(&format!(
                    " {}) {} {:?};",
                    pats.join("|"),
                    list(&a.body),
                    a.terminator
                ));
            }
            s + " esac"
        }
        CompoundCommand::Arith(x) => format!("(({}))", w(x)),
        CompoundCommand::Cond(e) => format!("[[ {} ]]", cond(e)),
    }
}

fn pipeline(p: &Pipeline) -> String {
    let mut s = String::new();
    if p.timed {
        s.push_str("time ");
    }
    if p.negated {
        s.push_str("! ");
    }
    for (i, c) in p.commands.iter().enumerate() {
        if i > 0 {
            s.push_str(if p.stderr_too[i - 1] { " |& " } else { " | " });
        }
        s.push_str(&command(c));
    }
    s
}

fn list(l: &List) -> String {
    let v: Vec<String> = l
        .items
        .iter()
        .map(|it| {
            let mut s = pipeline(&it.and_or.first);
            for (op, p) in &it.and_or.rest {
                s.push_str(match op {
                    AndOrOp::And => " && ",
                    AndOrOp::Or => " || ",
                });
                s.push_str(&pipeline(p));
            }
            if it.background {
                s.push_str(" &");
            }
            s
        })
        .collect();
    v.join("; ")
}

fn parse(src: &str) -> List {
    match parse_program(src) {
        Ok(l) => l,
        Err(e) => panic!("{src:?}: {e:?}"),
    }
}

fn check(table: &[(&str, &str)]) {
    let mut bad = Vec::new();
    for (src, want) in table {
        let got = match parse_program(src) {
            Ok(l) => list(&l),
            Err(e) => format!("ERR {:?} {}", e.kind, e.message),
        };
        if got != *want {
            bad.push(format!("{src:?}\n   got: {got}\n  want: {want}"));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

fn err(src: &str) -> ParseError {
    match parse_program(src) {
        Ok(l) => panic!("{src:?} parsed: {}", list(&l)),
        Err(e) => e,
    }
}

#[test]
fn simple_commands_assignments_and_redirections_anywhere() {
    check(&[
        ("echo hi", "[echo hi]"),
        (
            "a=1 b+=2 c[i+1]=x d=(x y) cmd",
            "[a=1 b+=2 c[i+1]=x d=(x y) cmd]",
        ),
        ("a[1 + 2]=x", "[a[1 + 2]=x]"),
        ("a=() b=(\n 1 # c\n 2)", "[a=() b=(1 2)]"),
        ("a=", "[a=]"),
        (">out echo a 2>&1 b", "[echo a b Output out 2DupOutput 1]"),
        ("echo a=1", "[echo a=1]"),
        ("declare -a x=(1 \"2 3\")", "[declare -a x='(1 \"2 3\")']"),
        ("let x=( 1 )", "[let x='( 1 )']"),
        ("x=1", "[x=1]"),
        ("echo a\\\nb", "[echo ab]"),
        ("echo a # comment\n", "[echo a]"),
        ("echo a#b", "[echo a#b]"),
    ]);
}

#[test]
fn redirection_operators() {
    check(&[
        (
            "cat <in >out >>app >|clob <>rw",
            "[cat Input in Output out Append app Clobber clob ReadWrite rw]",
        ),
        (
            "cmd <&3 >&2 2>&- 10>x",
            "[cmd DupInput 3 DupOutput 2 2DupOutput - 10Output x]",
        ),
        ("cmd >&file", "[cmd OutputBoth file]"),
        ("cmd >&$fd", "[cmd DupOutput ${fd}]"),
        (
            "cmd &>f &>>g <<<'s'",
            "[cmd OutputBoth f AppendBoth g HereString 's']",
        ),
        ("exec {fd}>f", "[exec {fd}Output f]"),
        ("echo 2 >x", "[echo 2 Output x]"),
    ]);
}

#[test]
fn pipelines_and_lists() {
    check(&[
        ("a | b |& c", "[a] | [b] |& [c]"),
        ("! a | b", "! [a] | [b]"),
        ("time -p a | b", "time [a] | [b]"),
        ("time", "time []"),
        ("a && b || c", "[a] && [b] || [c]"),
        ("a &&\n\n b", "[a] && [b]"),
        ("a |\n b", "[a] | [b]"),
        ("a; b & c", "[a]; [b] &; [c]"),
        ("a &", "[a] &"),
        ("\n\n# c\na\n\nb\n", "[a]; [b]"),
    ]);
}

#[test]
fn compound_commands() {
    check(&[
        ("{ a; b; }", "{[a]; [b]}"),
        ("{ a\n}", "{[a]}"),
        ("(a; b) >f", "([a]; [b]) Output f"),
        (
            "if a; then b; elif c; then d; else e; fi",
            "if [a] then [b] [c] then [d] else [e] fi",
        ),
        ("if a\nthen\n b\nfi", "if [a] then [b] fi"),
        ("while a; do b; done", "while [a] do [b] done"),
        ("until a; do b; done", "until [a] do [b] done"),
        ("for x in a b; do c; done", "for x in a b do [c] done"),
        ("for x do c; done", "for x do [c] done"),
        ("for x; do c; done", "for x do [c] done"),
        ("for x in; do c; done", "for x in  do [c] done"),
        ("for x\ndo c; done", "for x do [c] done"),
        ("for x in a\ndo c; done", "for x in a do [c] done"),
        ("for i in 1 2; { echo; }", "for i in 1 2 do [echo] done"),
        (
            "for ((i=0; i<3; i++)); do c; done",
            "for ((i=0; i<3; i++)) do [c] done",
        ),
        ("for ((;;)) do c; done", "for ((;;)) do [c] done"),
        ("((x = 1 + 2))", "((x = 1 + 2))"),
        ("((a) | b)", "(([a]) | [b])"),
        ("( (a) )", "(([a]))"),
        ("echo }", "[echo }]"),
        ("{ echo }; }", "{[echo }]}"),
        ("a=1 {x", "[a=1 {x]"),
    ]);
}

#[test]
fn case_arms_and_terminators() {
    check(&[
        ("case x in a) b;; esac", "case x in a) [b] Break; esac"),
        (
            "case x in (a|b) c;& d) ;;& *) e; esac",
            "case x in a|b) [c] FallThrough; d)  Continue; *) [e] Break; esac",
        ),
        ("case x in esac", "case x in esac"),
        (
            "case x\nin\n a)\n b\n ;;\nesac",
            "case x in a) [b] Break; esac",
        ),
        (
            "case x in (esac) a;; esac",
            "case x in esac) [a] Break; esac",
        ),
        (
            "case $x in @(a|b)) y;; esac",
            "case ${x} in @(a|b)) [y] Break; esac",
        ),
        (
            "echo $(case x in a) echo;; esac)",
            "[echo $(case x in a) [echo] Break; esac)]",
        ),
    ]);
}

#[test]
fn function_definitions() {
    check(&[
        ("f() { a; }", "fn f {[a]}"),
        ("f ()\n{ a; } >out", "fn f {[a]} Output out"),
        ("function f { a; }", "fn f {[a]}"),
        ("function f() ( a )", "fn f ([a])"),
        ("f() if a; then b; fi", "fn f if [a] then [b] fi"),
        ("foo.bar-baz() { :; }", "fn foo.bar-baz {[:]}"),
    ]);
    let l = parse("  f() { echo \"}\"; } 2>x # c\n");
    let Command::FunctionDef(f) = &l.items[0].and_or.first.commands[0] else {
        panic!("not a function");
    };
    assert_eq!(f.source, "f() { echo \"}\"; } 2>x");
    let l = parse("function g { :; }");
    let Command::FunctionDef(f) = &l.items[0].and_or.first.commands[0] else {
        panic!("not a function");
    };
    assert_eq!(f.source, "function g { :; }");
}

#[test]
fn double_brackets() {
    check(&[
        ("[[ -f x ]]", "[[ (-f x) ]]"),
        (
            "[[ a == b* && ! c != d || e ]]",
            "[[ (((a == b*) && !(c != d)) || e) ]]",
        ),
        (
            "[[ a < b ]] && [[ c > d ]]",
            "[[ (a < b) ]] && [[ (c > d) ]]",
        ),
        ("[[ 1 -eq 2 ]]", "[[ (1 -eq 2) ]]"),
        ("[[ ( a || b ) && c ]]", "[[ ((a || b) && c) ]]"),
        ("[[ $x =~ ^(a|b)+\\ x$ ]]", "[[ (${x} =~ ^(a|b)+' 'x$) ]]"),
        ("[[ x =~ (a  b) ]]", "[[ (x =~ (a  b)) ]]"),
        ("[[ x =~ (<>) ]]", "[[ (x =~ (<>)) ]]"),
        ("[[ x =~ ~/a ]]", "[[ (x =~ ~<>/a) ]]"),
        (
            "[[ x =~ <> ]]",
            "ERR Syntax syntax error near unexpected token `<>'",
        ),
        (
            "[[ x =~ ]]",
            "ERR Syntax unexpected argument `]]' to conditional binary operator",
        ),
        (
            "[[ -n ]]",
            "ERR Syntax unexpected argument `]]' to conditional unary operator",
        ),
        ("[[ a\n&& b ]]", "[[ (a && b) ]]"),
    ]);
}

#[test]
fn quoting_and_escapes() {
    check(&[
        ("echo 'a b' \"c $d\" \\e", "[echo 'a b' \"'c '${d}\" 'e']"),
        (
            "echo \"\\$ \\` \\\" \\\\ \\x\"",
            "[echo \"'$ ` \" \\ \\x'\"]",
        ),
        ("echo \"a\\\nb\"", "[echo \"'ab'\"]"),
        ("echo 'a\\\nb'", "[echo 'a\\\nb']"),
        ("echo $'a\\tb\\x41' $\"x\"", "[echo 'a\tbA' \"'x'\"]"),
        ("echo '' \"\"", "[echo '' \"\"]"),
        ("echo {a,b} *.rs", "[echo {a,b} *.rs]"),
        ("echo \"$\" $ a$", "[echo \"'$'\" $ a$]"),
    ]);
}

#[test]
fn parameter_expansions() {
    check(&[
        (
            "echo $a $1 $12 $@ $* $# $? $- $$ $! $0",
            "[echo ${a} ${1} ${1}2 ${@} ${*} ${#} ${?} ${-} ${$} ${!} ${0}]",
        ),
        (
            "echo ${#x} ${#} ${#a[@]} ${#-}",
            "[echo ${x len} ${#} ${a[@] len} ${- len}]",
        ),
        (
            "echo ${x:-a b} ${x-} ${x:=1} ${x?err} ${x:+alt}",
            "[echo ${x :- a b} ${x - } ${x := 1} ${x ? err} ${x :+ alt}]",
        ),
        (
            "echo ${x#*/} ${x##*/} ${x%.*} ${x%%.*}",
            "[echo ${x # */} ${x ## */} ${x % .*} ${x %% .*}]",
        ),
        (
            "echo ${x/a/b} ${x//a} ${x/#a/b} ${x/%a/b}",
            "[echo ${x First a b} ${x All a } ${x Prefix a b} ${x Suffix a b}]",
        ),
        (
            "echo ${x:1:2} ${x: -1} ${x:i}",
            "[echo ${x sub 1 2} ${x sub  -1 -} ${x sub i -}]",
        ),
        (
            "echo ${x^} ${x^^} ${x,} ${x,,[a-c]}",
            "[echo ${x case^false } ${x case^true } ${x case,false } ${x case,true [a-c]}]",
        ),
        (
            "echo ${!x} ${!pre*} ${!pre@} ${!a[@]} ${!a[*]} ${!}",
            "[echo ${!x} ${pre names*} ${pre names@} ${a keys@} ${a keys*} ${!}]",
        ),
        (
            "echo ${a[i]} ${a[$j+1]} ${10}",
            "[echo ${a[i]} ${a[${j}+1]} ${10}]",
        ),
        ("echo ${x@Q} ${a[@]@P}", "[echo ${x @Q} ${a[@] @P}]"),
        ("echo A${ b; }C ${| d; }", "[echo A${ [b]}C ${| [d]}]"),
        // A malformed `${…}` is an error only when expanded (bash).
        (
            "echo ${x!} ${} ${a[1}",
            "[echo ${ invalid x!} ${ invalid } ${ invalid a[1}]",
        ),
        (
            "echo ${x:-\"a b\"} \"${x:-'q'}\"",
            "[echo ${x :- \"'a b'\"} \"${x :- ''q''}\"]",
        ),
        (
            "echo ${x:-${y:-z}} ${x:-{a}}",
            "[echo ${x :- ${y :- z}} ${x :- {a}}]",
        ),
        ("echo \"${x#*}\"", "[echo \"${x # *}\"]"),
    ]);
}

#[test]
fn substitutions() {
    check(&[
        (
            "echo $(a b) $( (c) ) $((1 + $x * 2))",
            "[echo $([a b]) $(([c])) $((1 + ${x} * 2))]",
        ),
        ("echo $((a) )", "[echo $(([a]))]"),
        ("echo $(( (1) + 2 ))", "[echo $(( (1) + 2 ))]"),
        ("echo `a \\`b\\``", "[echo $([a $([b])])]"),
        ("echo \"`echo \\\"x\\\"`\"", "[echo \"$([echo \"'x'\"])\"]"),
        (
            "echo $(echo ')' \")\" # )\n)",
            "[echo $([echo ')' \"')'\"])]",
        ),
        ("cat <(a) >(b) x=<(c)", "[cat <([a]) >([b]) x=<([c])]"),
        ("echo $(\n a\n b\n)", "[echo $([a]; [b])]"),
        ("echo $()", "[echo $()]"),
    ]);
}

#[test]
fn tilde_prefixes() {
    check(&[
        (
            "echo ~ ~/x ~bob/y a~ '~' ~'x'",
            "[echo ~<> ~<>/x ~<bob>/y a~ '~' ~'x']",
        ),
        ("PATH=~/bin:~x/b:c~", "[PATH=~<>/bin:~<x>/b:c~]"),
    ]);
}

#[test]
fn here_documents() {
    check(&[
        (
            "cat <<EOF\nhello $x\nEOF\n",
            "[cat HereDoc { strip_tabs: false }['hello '${x}'\n']]",
        ),
        (
            "cat <<'EOF'\nhello $x\nEOF\n",
            "[cat HereDoc { strip_tabs: false }q['hello $x\n']]",
        ),
        (
            "cat <<\"E\"F\n$x\nEF",
            "[cat HereDoc { strip_tabs: false }q['$x\n']]",
        ),
        (
            "cat <<\\EOF\n$x\nEOF",
            "[cat HereDoc { strip_tabs: false }q['$x\n']]",
        ),
        (
            "cat <<-EOF\n\ta\n\t\tb\n\tEOF\n",
            "[cat HereDoc { strip_tabs: true }['a\nb\n']]",
        ),
        (
            "cat <<EOF\n\\$a \\\\ \\x \"q\" `b` $(c)\nEOF",
            "[cat HereDoc { strip_tabs: false }['$a \\ \\x \"q\" '$([b])' '$([c])'\n']]",
        ),
        (
            "cat <<EOF\na\\\nb\nEOF",
            "[cat HereDoc { strip_tabs: false }['ab\n']]",
        ),
        (
            "cat <<A; cat <<B\n1\nA\n2\nB\necho",
            "[cat HereDoc { strip_tabs: false }['1\n']]; [cat HereDoc { strip_tabs: false }['2\n']]; [echo]",
        ),
        (
            "cat <<A | tr a b\nx\nA\n",
            "[cat HereDoc { strip_tabs: false }['x\n']] | [tr a b]",
        ),
        (
            "f() { cat <<E\nx\nE\n}",
            "fn f {[cat HereDoc { strip_tabs: false }['x\n']]}",
        ),
        (
            "echo $(cat <<E\nx\nE\n)",
            "[echo $([cat HereDoc { strip_tabs: false }['x\n']])]",
        ),
        (
            "cat <<E\nno end",
            // The end of the text ends the last line too (bash).
            "[cat HereDoc { strip_tabs: false }['no end\n']]",
        ),
        ("cat <<E", "[cat HereDoc { strip_tabs: false }[]]"),
        (
            "cat <<E\n$((1+2)) ${x:-y}\nE",
            "[cat HereDoc { strip_tabs: false }[$((1+2))' '${x :- 'y'}'\n']]",
        ),
        (
            "cat <<$(a)\nx\n$(a)\n",
            "[cat HereDoc { strip_tabs: false }['x\n']]",
        ),
    ]);
}

#[test]
fn reserved_words_only_in_command_position() {
    check(&[
        ("echo if then fi done", "[echo if then fi done]"),
        ("\\if a", "['i'f a]"),
        ("'if' a", "['if' a]"),
        ("x=1 if", "[x=1 if]"),
        ("echo esac in do", "[echo esac in do]"),
    ]);
}

fn parse_with(src: &str, aliases: &[(&str, &str)]) -> Result<String, ParseError> {
    let al: Aliases = aliases
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut p = Parser::new(src, 1);
    let mut out = Vec::new();
    while let Some(l) = p.next_command(&al)? {
        out.push(list(&l));
    }
    Ok(out.join(" / "))
}

#[test]
fn aliases_substitute_in_command_position() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        ("ll x", &[("ll", "ls -l")], "[ls -l x]"),
        ("echo ll", &[("ll", "ls -l")], "[echo ll]"),
        ("ls", &[("ls", "ls -F")], "[ls -F]"),
        ("a", &[("a", "b"), ("b", "a")], "[a]"),
        ("s ll", &[("s", "sudo "), ("ll", "ls -l")], "[sudo ls -l]"),
        ("s x ll", &[("s", "sudo "), ("ll", "ls -l")], "[sudo x ll]"),
        ("X=1 ll", &[("ll", "ls -l")], "[X=1 ls -l]"),
        ("a; ll", &[("ll", "ls -l")], "[a]; [ls -l]"),
        (
            "x",
            &[("x", "if true; then echo y; fi")],
            "if [true] then [echo y] fi",
        ),
        ("'ll'", &[("ll", "ls -l")], "['ll']"),
        ("e a | e b", &[("e", "echo")], "[echo a] | [echo b]"),
    ];
    for (src, al, want) in cases {
        let got = parse_with(src, al).map_err(|e| e.message);
        assert_eq!(got.as_deref(), Ok(*want), "{src:?}");
    }
}

#[test]
fn next_command_stops_after_each_line() {
    let src = "a; b\n\n# c\nc &\n";
    let al = Aliases::default();
    let mut p = Parser::new(src, 10);
    assert_eq!(list(&p.next_command(&al).unwrap().unwrap()), "[a]; [b]");
    assert_eq!(p.offset(), 5);
    assert_eq!(p.line(), 11);
    assert_eq!(list(&p.next_command(&al).unwrap().unwrap()), "[c] &");
    assert_eq!(p.line(), 14);
    assert!(p.next_command(&al).unwrap().is_none());
    // An alias defined after the first line applies to the second.
    let mut p = Parser::new("x\nx\n", 1);
    assert_eq!(list(&p.next_command(&al).unwrap().unwrap()), "[x]");
    let al2: Aliases = [("x".to_string(), "y".to_string())].into_iter().collect();
    assert_eq!(list(&p.next_command(&al2).unwrap().unwrap()), "[y]");
    // Here-document bodies belong to the command whose line they follow.
    let mut p = Parser::new("cat <<E\nbody\nE\necho\n", 1);
    p.next_command(&al).unwrap();
    assert_eq!(p.offset(), 15);
    assert_eq!(p.line(), 4);
}

#[test]
fn next_command_recovers_after_a_syntax_error() {
    let al = Aliases::default();
    let mut p = Parser::new("a )\nb\n", 1);
    assert!(p.next_command(&al).is_err());
    assert_eq!(list(&p.next_command(&al).unwrap().unwrap()), "[b]");
    assert!(p.next_command(&al).unwrap().is_none());
}

#[test]
fn spans_cover_commands_and_pipelines() {
    let src = "x\n  a b | c  ;";
    let l = parse(src);
    let p = &l.items[1].and_or.first;
    assert_eq!(&src[p.span.start..p.span.end], "a b | c");
    assert_eq!(p.span.line, 2);
    let Command::Simple(s) = &p.commands[0] else {
        panic!("not simple")
    };
    assert_eq!(&src[s.span.start..s.span.end], "a b");
    let Command::Simple(s) = &p.commands[1] else {
        panic!("not simple")
    };
    assert_eq!(&src[s.span.start..s.span.end], "c");
}

#[test]
fn incomplete_inputs() {
    for src in [
        "echo 'a",
        "echo \"a",
        "echo $(a",
        "echo ${a",
        "echo `a",
        "echo $((1",
        "if a; then",
        "if a",
        "while a; do b",
        "for x in a",
        "case x in",
        "case x in a) b;;",
        "{ a",
        "( a",
        "a |",
        "a &&",
        "a ||",
        "f()",
        "[[ a",
        "echo a\\",
        "echo a \\\n",
        "cat <<E\nx\n",
        "cat <<E",
        "a=(1",
        "echo $'a",
        "((1",
    ] {
        assert!(is_incomplete(src), "{src:?} should be incomplete");
    }
    for src in [
        "echo a",
        "if a; then b; fi",
        "echo a )",
        "fi",
        "cat <<E\nx\nE",
        "",
        "# c",
        "echo 'a\nb'",
        "!",
    ] {
        assert!(!is_incomplete(src), "{src:?} should be complete");
    }
}

#[test]
fn syntax_errors_read_like_bash() {
    let cases = [
        ("fi", "syntax error near unexpected token `fi'", 1, 1),
        (
            "if a; then b; fi fi",
            "syntax error near unexpected token `fi'",
            1,
            18,
        ),
        ("echo a )", "syntax error near unexpected token `)'", 1, 8),
        ("a;;", "syntax error near unexpected token `;;'", 1, 2),
        ("; a", "syntax error near unexpected token `;'", 1, 1),
        ("a\n  | b", "syntax error near unexpected token `|'", 2, 3),
        (
            "echo >",
            "syntax error near unexpected token `newline'",
            1,
            7,
        ),
        (
            "echo >\n",
            "syntax error near unexpected token `newline'",
            1,
            7,
        ),
        (
            "if then fi",
            "syntax error near unexpected token `then'",
            1,
            4,
        ),
        ("{ }", "syntax error near unexpected token `}'", 1, 3),
        ("f() a", "syntax error near unexpected token `a'", 1, 5),
        (
            "case a in b c) ;; esac",
            "syntax error near unexpected token `c'",
            1,
            13,
        ),
        ("[[ ]]", "syntax error near unexpected token `]]'", 1, 4),
    ];
    for (src, msg, line, col) in cases {
        let e = err(src);
        assert_eq!(e.kind, ParseErrorKind::Syntax, "{src:?}");
        assert_eq!(
            (e.message.as_str(), e.line, e.col),
            (msg, line, col),
            "{src:?}"
        );
    }
    let e = err("if a; then b");
    assert_eq!(e.kind, ParseErrorKind::Incomplete);
    // bash 5.3 names the command left open, on the line after the last.
    assert_eq!(
        (e.message.as_str(), e.line),
        (
            "syntax error: unexpected end of file from `if' command on line 1",
            2
        )
    );
    let e = err("echo a |");
    assert_eq!(e.message, "syntax error: unexpected end of file");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let n = 5000;
    for (open, close, prefix) in [
        ("(", ")", ""),
        ("{ ", "; }", ""),
        ("if a; then ", "; fi", ""),
        ("[[ ( ", " ) ]]", ""),
        ("$(", ")", "echo "),
        ("\"$(", ")\"", "echo "),
        ("${x:-", "}", "echo "),
        ("@(", ")", "echo "),
        ("`", "`", "echo "),
        ("<(", ")", "cat "),
        ("! ", "", ""),
    ] {
        let src = format!("{prefix}{}a{}", open.repeat(n), close.repeat(n));
        // Must return (an error or not), never overflow the stack.
        let _ = parse_program(&src);
        let _ = is_incomplete(&src);
    }
    let e = err(&format!("{}a{}", "{ ".repeat(3000), "; }".repeat(3000)));
    assert_eq!(e.message, "maximum nesting depth exceeded");
    // Moderate nesting is fine.
    parse(&format!("{}a{}", "( ".repeat(50), " )".repeat(50)));
    // Deeper than the caller's stack allows, within the limit: parsed on a
    // big-stack thread.
    parse(&format!("{}a{}", "{ ".repeat(300), "; }".repeat(300)));
}

/// A tiny deterministic generator (no external crates).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

const SAMPLE: &str = r#"#!/bin/sh
f() { local x=${1:-def} y=(a "b c"); echo "$x ${y[@]}" >&2; }
for i in 1 2 3; do case $i in (1|2) echo one;; *) echo ${i#?} ;& esac; done
while read -r line; do [[ $line =~ ^a(b|c)$ && -n $line ]] || break; done <<'END'
abc
END
x=$(echo `echo hi` $((1 + ${#x})) <(cat) "$(printf '%s' "a'b")")
if ! a | b |& c; then :; elif ((x > 1)); then { y; } else (z) fi 2>/dev/null
cat <<-EOT | tr a b
	$x \$y ${z:=w}
	EOT
echo $'esc\n' ~/x a=~ {a,b} @(x|y) &
"#;

#[test]
fn random_bytes_and_truncations_never_panic() {
    parse(SAMPLE);
    // Every prefix and suffix of a valid script.
    for (i, _) in SAMPLE.char_indices() {
        let _ = parse_program(&SAMPLE[..i]);
        let _ = is_incomplete(&SAMPLE[..i]);
        let _ = parse_program(&SAMPLE[i..]);
    }
    // Random strings over shell-significant characters.
    let alphabet: Vec<char> = "abc01 \t\n;&|()<>{}[]$`'\"\\#=~*?!@%^,:/-+é\r"
        .chars()
        .collect();
    let al: Aliases = [("a".to_string(), "b c ".to_string())]
        .into_iter()
        .collect();
    let mut rng = Lcg(42);
    for _ in 0..4000 {
        let len = rng.next() % 40;
        let s: String = (0..len)
            .map(|_| alphabet[rng.next() % alphabet.len()])
            .collect();
        let _ = parse_program(&s);
        let _ = is_incomplete(&s);
        let mut p = Parser::new(&s, 1);
        let mut last = 0;
        loop {
            let r = p.next_command(&al);
            assert!(p.offset() <= s.len());
            if matches!(r, Ok(None)) {
                break;
            }
            assert!(p.offset() > last || r.is_ok(), "no progress on {s:?}");
            last = p.offset();
        }
    }
    // Random mutations of the sample.
    let chars: Vec<char> = SAMPLE.chars().collect();
    for _ in 0..1500 {
        let mut c = chars.clone();
        for _ in 0..3 {
            let i = rng.next() % c.len();
            c[i] = alphabet[rng.next() % alphabet.len()];
        }
        let s: String = c.into_iter().collect();
        let _ = parse_program(&s);
    }
}

/// Parses with bash's `extglob` off: only the right side of `[[ == ]]`
/// reads extended patterns; elsewhere their `(` is an operator.
fn parse_without_extglob(src: &str) -> Result<String, ParseError> {
    let mut p = Parser::new(src, 1);
    p.set_extglob(false);
    let mut out = Vec::new();
    while let Some(l) = p.next_command(&Aliases::default())? {
        out.push(list(&l));
    }
    Ok(out.join(" / "))
}

#[test]
fn extglob_words_follow_the_option() {
    assert_eq!(list(&parse("echo @(a|b) x!(y)")), "[echo @(a|b) x!(y)]");
    assert_eq!(list(&parse("[[ !(a) ]]")), "[[ !(a) ]]");
    let off = |src| parse_without_extglob(src).map_err(|e| e.message);
    let unexpected = Err("syntax error near unexpected token `('".to_string());
    assert_eq!(off("echo @(a|b)"), unexpected);
    assert_eq!(off("case a in @(a)) ;; esac"), unexpected);
    assert_eq!(off("[[ !(a) ]]").as_deref(), Ok("[[ !a ]]"));
    assert_eq!(
        off("[[ a == @(a|b) && b != x!(y) ]]").as_deref(),
        Ok("[[ ((a == @(a|b)) && (b != x!(y))) ]]")
    );
    // A command substitution inside the pattern does not end it.
    assert_eq!(
        off("[[ a == $([[ b == c ]])@(d) ]]").as_deref(),
        Ok("[[ (a == $([[ (b == c) ]])@(d)) ]]")
    );
}

/// Where a reader asking `is_incomplete` after each line would stop.
fn end_by_lines(src: &str) -> Option<usize> {
    let mut end = 0;
    for line in src.split_inclusive('\n') {
        end += line.len();
        if !is_incomplete(&src[..end]) {
            return Some(end);
        }
    }
    None
}

#[test]
fn the_first_command_ends_where_a_line_by_line_reader_stops() {
    for src in [
        "echo a\necho b\n",
        "( echo a\n  echo b\n)\necho c\n",
        "( echo a\n  echo b\n",
        "if true; then\n echo x\nfi; echo y\nread z\n",
        "cat <<E\nbody\nE\necho after\n",
        "cat <<E\nbody\n",
        "echo a |\ncat\necho b\n",
        "echo a \\\nb\necho c\n",
        "echo a \\\n",
        "echo 'a\nb'\necho c\n",
        "f() {\n echo $(\n echo x)\n}\nf\n",
        "case x in\n x) echo y;;\nesac\n",
        "echo ok\nfi\necho after\n",
        "( echo a\nfi\necho b\n",
        "a=(1\n2)\necho ${a[1]}\n",
        "# only a comment\n",
    ] {
        assert_eq!(
            first_command_end(src),
            end_by_lines(src),
            "{src:?} should end where the line-by-line reader stops"
        );
    }
    assert_eq!(first_command_end("\n\necho a\necho b\n"), Some(9));
    assert_eq!(first_command_end("\n# c\n"), Some(5));
}

/// `name[` opens a possible assignment subscript, which may hold `$( … )`
/// whose commands start with `name[` again. Each level used to be read
/// twice (as a subscript, then as a word): 24 levels took minutes. Once
/// an offset is known to open no subscript it is not read as one again.
#[test]
fn nested_unclosed_subscripts_are_read_once() {
    let src = "o[ $h?\nhc\no[ $(5?\nhc\n".repeat(24);
    assert!(parse_program(&src).is_err());
    // Subscripts still hold blanks and substitutions.
    let got = list(&parse("a[1 + 2]=x o[ $(b[1]=y) ]=z"));
    assert_eq!(got, "[a[1 + 2]=x o[ $([b[1]=y]) ]=z]");
}

/// A word read twice — a lookahead read again in another mode, a
/// subscript read again as a word, `$((` read again as `$(` — read the
/// substitutions inside it twice, so each level of a nest doubled the
/// work: 40 levels would take years. A substitution is read once.
#[test]
fn nested_substitutions_are_read_once_however_often_their_word_is() {
    let n = 40;
    for (open, close) in [
        ("echo $(", ")"),
        ("time $(", ")"),
        ("case x in $(", ") ) ;; esac"),
        ("case x in a=$(", ") ) ;; esac"),
        ("[[ $(", ") ]]"),
        ("a[$(", ")]"),
        ("o[ $( <<EOF o[ $(", "))"),
        ("echo $((echo ", ") )"),
        ("echo <(echo ", ")"),
    ] {
        let src = format!("{}x{}\nEOF\n", open.repeat(n), close.repeat(n));
        assert!(parse_program(&src).is_ok(), "{open}x{close}");
    }
    check(&[
        ("echo $(echo $(x))", "[echo $([echo $([x])])]"),
        ("[[ $([[ $(x) ]]) ]]", "[[ $([[ $([x]) ]]) ]]"),
        ("a[$(a[$(x)])]", "[a[$([a[$([x])]])]]"),
        ("a[$(b[$(x)]=1)]=2", "[a[$([b[$([x])]=1])]=2]"),
        (
            "echo $((echo $((echo x) )) )",
            "[echo $(([echo $(([echo x]))]))]",
        ),
    ]);
}

/// A here-document begun in a `$( )` whose word was read twice waited
/// for two bodies: the second swallowed the lines after the first.
#[test]
fn a_here_document_in_a_word_read_again_waits_once() {
    let body = |d: &str| format!("[cat HereDoc {{ strip_tabs: false }}['{d}\n']]");
    check(&[
        (
            "echo $(cat <<E) $(cat <<F)\nbody\nE\nx\nF\necho after\n",
            &format!("[echo $({}) $({})]; [echo after]", body("body"), body("x")),
        ),
        (
            "o[ $(cat <<E) ]\nbody\nE\necho after\n",
            &format!("[o[ $({}) ]]; [echo after]", body("body")),
        ),
        (
            "case $(cat <<E) in $(cat <<F)) :;; esac\nbody\nE\nx\nF\necho after\n",
            &format!(
                "case $({}) in $({})) [:] Break; esac; [echo after]",
                body("body"),
                body("x")
            ),
        ),
    ]);
}

/// A `[` that nothing closes sent the scan for its `]` to the end of the
/// text from every line starting with `name[`, and a line whose `]` came
/// at the very end scanned all the lines after it: 40000 such lines took
/// minutes. What one scan passed is not scanned again.
#[test]
fn subscripts_are_scanned_once_across_lines() {
    let n = 40_000;
    let unclosed = "o[ x\n".repeat(n);
    let closed_at_end = "a[ x\n".repeat(n) + &"]\n".repeat(n);
    for src in [&unclosed, &closed_at_end] {
        parse(src);
        // One command at a time, as a script is run.
        let mut p = Parser::new(src, 1);
        while p.next_command(&Aliases::default()).unwrap().is_some() {}
    }
    check(&[
        ("o[ x\no[ y]=1\n", "[o[ x]; [o[ y]=1]"),
        ("o[ x\na[ [ y ]=1 ]\n", "[o[ x]; [a[ [ y ]=1 ]]"),
    ]);
}
