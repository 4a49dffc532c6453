package bot

import (
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

// /staff, the owner's: the list of staff, Add a manager (by a forwarded
// message, a shared contact or a typed user id) and Remove. A contact or a
// forwarded message sent outside the dialog gets an offer to add that
// person. Each change re-registers that person's commands.

func init() {
	onCommand("staff", false, true, func(r *req, _ string) error { return showStaff(r) })
	onCallback("sfa", 0, true, func(r *req, _ callback) error {
		if r.role != core.RoleOwner {
			r.answer(r.lang.Plain("staff.team.owner_only"), true)
			return nil
		}
		if err := r.saveDialog(&dialog{Flow: flowStaffAdd}); err != nil {
			return err
		}
		return r.show(r.lang.T("staff.team.ask"), r.lang.quitKB())
	})
	onCallback("sfr", 1, true, func(r *req, c callback) error { return removeManager(r, c.Arg(0)) })
	onCallback("sfk", 1, true, func(r *req, c callback) error {
		d, err := r.loadDialog()
		if err != nil {
			return err
		}
		if d.Step != stepAddOffer || d.dataInt("uid") != c.Arg(0) {
			r.answer(r.lang.Plain("err.stale"), true)
			return nil
		}
		return addManager(r, c.Arg(0), d.Data["name"])
	})
	onStaffFlow(flowStaffAdd, staffAddInput)
	staffContact = func(r *req, c *models.Contact) error {
		if r.role != core.RoleOwner || c.UserID == 0 {
			return r.reply(r.lang.T("staff.team.contact_unused"), nil)
		}
		return offer(r, c.UserID, contactName(c))
	}
}

func showStaff(r *req) error {
	members, err := r.b.svc.Staff.List(r.ctx, r.actor)
	if err != nil {
		return err
	}
	text, k := r.renderStaff(members)
	return r.show(text, k)
}

func (r *req) renderStaff(members []core.StaffMember) (string, *kb) {
	l := r.lang
	var b strings.Builder
	b.WriteString(l.T("staff.team.title"))
	k := &kb{}
	for _, m := range members {
		name := m.Name
		if name == "" {
			name = l.Plain("staff.team.noname")
		}
		how := l.T("staff.team.added")
		if m.Configured {
			how = l.T("staff.team.configured")
		}
		b.WriteString("\n" + l.T("staff.team.item", name, m.UserID, l.Plain("role."+string(m.Role)), safeHTML(how)))
		if !m.Configured {
			k.row(btn(l.Plain("staff.btn.remove", name), cb("sfr", m.UserID)))
		}
	}
	k.row(btn(l.Plain("staff.btn.add_manager"), cb("sfa")))
	return b.String(), k
}

// staffAddInput takes whoever the owner points at: a forwarded message, a
// contact or a typed user id.
func staffAddInput(r *req, d *dialog, m *models.Message) error {
	switch {
	case m.ForwardOrigin != nil:
		id, name := forwardedUser(m.ForwardOrigin)
		if id == 0 {
			return r.reply(r.lang.T("staff.team.hidden"), r.lang.quitKB().markup())
		}
		return addManager(r, id, name)
	case m.Contact != nil:
		if m.Contact.UserID == 0 {
			return r.reply(r.lang.T("staff.team.contact_no_user"), r.lang.quitKB().markup())
		}
		return addManager(r, m.Contact.UserID, contactName(m.Contact))
	}
	id, err := strconv.ParseInt(strings.TrimSpace(m.Text), 10, 64)
	if err != nil || id <= 0 {
		return r.reply(r.lang.T("staff.team.bad_id"), r.lang.quitKB().markup())
	}
	return addManager(r, id, "")
}

func forwardedUser(o *models.MessageOrigin) (int64, string) {
	if o.MessageOriginUser == nil {
		return 0, ""
	}
	u := o.MessageOriginUser.SenderUser
	return u.ID, core.TelegramProfile{UserID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}.Name()
}

func contactName(c *models.Contact) string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// offerManager answers an owner's forwarded message outside the dialog.
func offerManager(r *req, o *models.MessageOrigin) error {
	id, name := forwardedUser(o)
	if id == 0 {
		return r.reply(r.lang.T("staff.team.hidden"), nil)
	}
	return offer(r, id, name)
}

func offer(r *req, userID int64, name string) error {
	d := &dialog{Step: stepAddOffer}
	d.set("uid", strconv.FormatInt(userID, 10))
	d.set("name", name)
	if err := r.saveDialog(d); err != nil {
		return err
	}
	k := new(kb).row(btn(r.lang.Plain("staff.btn.make_manager"), cb("sfk", userID)), btn(r.lang.Plain("staff.btn.quit"), cb("sq")))
	return r.reply(r.lang.T("staff.team.offer", name, userID), k.markup())
}

func addManager(r *req, userID int64, name string) error {
	if err := r.b.svc.Staff.AddManager(r.effectQuiet(), r.actor, userID, name); err != nil {
		return err
	}
	if err := r.clearDialog(); err != nil {
		r.log.Warn("clear dialog", "err", err)
	}
	r.b.registerCommandsFor(r.ctx, userID, core.RoleManager, "")
	r.b.welcomeManager(r, userID)
	if name == "" {
		name = r.lang.Plain("staff.team.noname")
	}
	if err := r.reply(r.lang.T("staff.team.added_ok", name, userID), nil); err != nil {
		return err
	}
	r.out.Message = 0
	return showStaff(r)
}

// welcomeManager tells the new manager, if they have talked to the bot.
func (b *Bot) welcomeManager(r *req, userID int64) {
	l := b.chatLang(r.ctx, userID)
	if _, err := b.send.SendWait(r.ctx, userID, prio(r.ctx), l.T("staff.team.welcome", r.actor.Name), nil); err != nil {
		r.log.Info("new manager not told (they may not have started the bot)", "user_id", userID, "err", err)
	}
}

func removeManager(r *req, userID int64) error {
	if err := r.b.svc.Staff.RemoveManager(r.effectQuiet(), r.actor, userID); err != nil {
		return err
	}
	r.b.registerCommandsFor(r.ctx, userID, core.RoleCustomer, "")
	r.answer(r.lang.Plain("staff.team.removed", userID), false)
	return showStaff(r)
}
