package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/orderbot/orderbot/core"
)

func (w *world) roleOf(userID int64) core.Role {
	w.t.Helper()
	role, err := w.svc.Staff.RoleOf(context.Background(), userID)
	if err != nil {
		w.t.Fatal(err)
	}
	return role
}

func (w *world) hasCommand(userID int64, cmd string) bool {
	for _, c := range w.srv.Commands(&models.BotCommandScopeChat{ChatID: userID}, "") {
		if c.Command == cmd {
			return true
		}
	}
	return false
}

// TestStaff_OwnerAddsAndRemovesManagers: the owner adds managers by a
// forwarded message, a typed id and a shared contact, and removes one; each
// gets (or loses) the staff commands and actions at once. Managers cannot
// manage staff, even with forged buttons.
func TestStaff_OwnerAddsAndRemovesManagers(t *testing.T) {
	w := newWorld(t)
	w.startStaff()
	zoe := models.User{ID: 1700, FirstName: "Zoe", LanguageCode: "en"}
	w.srv.AddUser(zoe)
	w.say(zoe.ID, "/start", "Hello, Zoe")
	w.say(zoe.ID, "/toship", "I did not understand")

	w.say(ownerID, "/staff", "from configuration")
	w.press(ownerID, "➕ Add a manager", "Forward me any message")
	cur := w.srv.Cursor()
	if _, err := w.srv.ForwardFrom(ownerID, zoe, "hi, it's Zoe"); err != nil {
		t.Fatal(err)
	}
	w.await(cur, ownerID, "Zoe (1700) is a manager now")
	w.await(cur, ownerID, "added in chat")
	if w.roleOf(zoe.ID) != core.RoleManager || !w.hasCommand(zoe.ID, "toship") {
		t.Fatalf("Zoe: role %s, commands %v", w.roleOf(zoe.ID), w.srv.Commands(&models.BotCommandScopeChat{ChatID: zoe.ID}, ""))
	}
	w.await(fakeapiZero, zoe.ID, "Olga Owner made you a manager")
	w.say(zoe.ID, "/toship", "Nothing is waiting for shipment")
	w.say(zoe.ID, "/neworder", "Who is the customer?") // removed mid-dialog below

	w.press(ownerID, "➕ Add a manager", "Forward me any message")
	w.say(ownerID, "not a number", "is not a Telegram user id")
	cur = w.srv.Cursor()
	w.say(ownerID, "1701", "(no name) (1701) is a manager now")
	w.await(cur, ownerID, "1701 · a manager · added in chat")

	w.srv.AddUser(models.User{ID: 1702, FirstName: "Yan"})
	cur = w.srv.Cursor()
	if _, err := w.srv.ShareContact(ownerID, "+44 20 7946 0001", 1702); err != nil {
		t.Fatal(err)
	}
	w.await(cur, ownerID, "Make Yan (1702) a manager?")
	w.press(ownerID, "➕ Make manager", "Yan (1702) is a manager now")
	if w.roleOf(1701) != core.RoleManager || w.roleOf(1702) != core.RoleManager {
		t.Fatal("1701 and 1702 should be managers")
	}

	w.say(managerID, "/staff", "I did not understand")
	msg := w.srv.BotMessages(managerID)[0]
	for data, want := range map[string]string{"sfa": "Only the owner", "sfr:1701": "only the owner", "sfk:1703": "out of date"} {
		upd, err := w.srv.PressData(managerID, msg.ID, data)
		if err != nil {
			t.Fatal(err)
		}
		if ans := w.answerOf(upd); !strings.Contains(ans.Text, want) {
			t.Errorf("manager's %s answered %q", data, ans.Text)
		}
	}
	if w.roleOf(1701) != core.RoleManager || w.roleOf(1703) != core.RoleCustomer {
		t.Fatal("a manager changed the staff")
	}

	w.say(ownerID, "/staff", "Zoe")
	w.press(ownerID, "✖ Remove Zoe", "no longer a manager")
	if w.roleOf(zoe.ID) != core.RoleCustomer || w.hasCommand(zoe.ID, "toship") {
		t.Fatalf("Zoe still staff: %s", w.roleOf(zoe.ID))
	}
	w.say(zoe.ID, "/toship", "I did not understand")
	w.say(zoe.ID, "Bob", "for the shop's staff only")
	w.say(zoe.ID, "Bob", "Nothing matches") // the dialog is gone: a catalog search
	w.press(ownerID, "✖ Remove Yan", "User 1702 is no longer a manager")
}
