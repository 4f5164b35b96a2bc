//! What keys mean beyond reedline's tables: vi's Escape arriving together
//! with the next key, `v` in vi normal mode, Enter, Escape and Ctrl-G in a
//! Ctrl-R search, and Space or Enter after an abbreviation.

use crossterm::event::{Event, KeyEvent};
use reedline::{
    EditMode, KeyCode, KeyModifiers, PromptEditMode, PromptViMode, ReedlineEvent, ReedlineRawEvent,
};

use super::snapshot::Shared;
use super::wake::EditorWake;

/// The edit mode the line editor runs: reedline's emacs or vi keys, and
/// what this module adds to them.
pub struct ShellKeys {
    inner: Box<dyn EditMode>,
    vi: bool,
    wake: EditorWake,
    shared: Shared,
}

impl ShellKeys {
    /// Wraps `inner` (vi keys when `vi`); `shared` has the abbreviations
    /// and the line as last painted.
    pub fn new(inner: Box<dyn EditMode>, vi: bool, wake: EditorWake, shared: Shared) -> ShellKeys {
        ShellKeys {
            inner,
            vi,
            wake,
            shared,
        }
    }

    fn parse(&mut self, raw: Event) -> ReedlineEvent {
        match ReedlineRawEvent::try_from(raw) {
            Ok(event) => self.inner.parse_event(event),
            Err(()) => ReedlineEvent::None,
        }
    }

    /// vi insert mode, where Escape and the key after it may arrive in one
    /// read (a paste, a slow link, a fast typist): the terminal's bytes
    /// then parse as one Alt chord. reedline splits `Alt-<char>` back into
    /// Escape and the character; this does the same for the other keys
    /// (Enter, Tab, Backspace, arrows), as readline reads `ESC` then the
    /// key.
    fn split_escape(&mut self, key: KeyEvent) -> Option<ReedlineEvent> {
        let inserting = self.inner.edit_mode() == PromptEditMode::Vi(PromptViMode::Insert);
        if !(self.vi && inserting)
            || key.modifiers != KeyModifiers::ALT
            || matches!(key.code, KeyCode::Char(_))
        {
            return None;
        }
        let events = [KeyCode::Esc, key.code]
            .into_iter()
            .map(|code| self.parse(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))))
            .collect();
        Some(ReedlineEvent::Multiple(events))
    }

    /// Follows Ctrl-R searches: Enter there only puts the line found in
    /// the buffer, so a wake-up is asked for that submits it
    /// ([`EditorWake::submit_soon`]).
    fn follow_search(&self, event: &ReedlineEvent) {
        if !self.wake.searching() {
            if opens_search(event) {
                self.wake.set_searching(true);
            }
            return;
        }
        match event {
            ReedlineEvent::Enter
            | ReedlineEvent::Submit
            | ReedlineEvent::SubmitOrNewline
            | ReedlineEvent::HistoryHintComplete => {
                self.wake.set_searching(false);
                self.wake.submit_soon();
            }
            // Whatever else may close it: at worst Enter then only
            // accepts the line, as reedline does.
            ReedlineEvent::Esc
            | ReedlineEvent::CtrlC
            | ReedlineEvent::CtrlD
            | ReedlineEvent::ExecuteHostCommand(_) => self.wake.set_searching(false),
            _ => {}
        }
    }
}

impl ShellKeys {
    /// Escape and Ctrl-G in a Ctrl-R search mean what they mean to
    /// readline: Escape ends the search keeping the line found (reedline
    /// would drop it), Ctrl-G abandons it for the line as it was.
    fn search_key(&self, key: KeyEvent) -> Option<ReedlineEvent> {
        if !self.wake.searching() {
            return None;
        }
        let event = match (key.modifiers, key.code) {
            (KeyModifiers::NONE, KeyCode::Esc) => ReedlineEvent::Enter,
            (KeyModifiers::CONTROL, KeyCode::Char('g')) => ReedlineEvent::Esc,
            _ => return None,
        };
        self.wake.set_searching(false);
        Some(event)
    }
}

impl ShellKeys {
    /// `v` in vi normal mode edits the line in `$VISUAL`, as in bash
    /// (reedline would start a visual selection).
    fn vi_edit_key(&self, key: KeyEvent) -> Option<ReedlineEvent> {
        let normal = self.inner.edit_mode() == PromptEditMode::Vi(PromptViMode::Normal);
        (self.vi && normal && key.modifiers == KeyModifiers::NONE && key.code == KeyCode::Char('v'))
            .then(|| ReedlineEvent::ExecuteHostCommand(super::edit_buffer::REQUEST.to_string()))
    }
}

impl ShellKeys {
    /// Space or Enter right after an abbreviation typed as a command name
    /// puts its expansion in its place first (as fish), then does what
    /// the key does. Known only when the key is the first read since the
    /// line was painted; keys read together just do what they do.
    fn expand_abbreviation(&mut self, raw: &Event) -> Option<ReedlineEvent> {
        let trigger = matches!(raw, Event::Key(key) if key.modifiers == KeyModifiers::NONE
            && matches!(key.code, KeyCode::Char(' ') | KeyCode::Enter));
        let inserting =
            !self.vi || self.inner.edit_mode() == PromptEditMode::Vi(PromptViMode::Insert);
        let wanted = trigger && inserting && !self.wake.searching();
        let (line, cursor) = self.shared.painted_line(wanted)?;
        let table = self.shared.lock().abbreviations.clone();
        let edits = super::abbrev::expansion_edits(&line, cursor, &table)?;
        let then = self.parse(raw.clone());
        Some(ReedlineEvent::Multiple(vec![
            ReedlineEvent::Edit(edits),
            then,
        ]))
    }
}

/// Whether `event` opens a history search.
fn opens_search(event: &ReedlineEvent) -> bool {
    match event {
        ReedlineEvent::SearchHistory => true,
        ReedlineEvent::Multiple(events) | ReedlineEvent::UntilFound(events) => {
            events.iter().any(opens_search)
        }
        _ => false,
    }
}

impl EditMode for ShellKeys {
    fn parse_event(&mut self, event: ReedlineRawEvent) -> ReedlineEvent {
        // The wait is over: no wake-up may be raised while this event is
        // handled and the line painted.
        self.wake.busy();
        let raw = Event::from(event);
        if let Event::Resize(columns, rows) = raw
            && self.wake.take_submit()
        {
            return ReedlineEvent::Multiple(vec![
                ReedlineEvent::Resize(columns, rows),
                ReedlineEvent::Submit,
            ]);
        }
        if let Some(event) = self.expand_abbreviation(&raw) {
            return event;
        }
        if let Event::Key(key) = raw
            && let Some(event) = self.search_key(key).or_else(|| self.vi_edit_key(key))
        {
            return event;
        }
        let split = match raw {
            Event::Key(key) => self.split_escape(key),
            _ => None,
        };
        let event = split.unwrap_or_else(|| self.parse(raw));
        self.follow_search(&event);
        event
    }

    fn edit_mode(&self) -> PromptEditMode {
        self.inner.edit_mode()
    }
}
