// Kannel's status.xml (bearerbox's admin port) as the status page reads it: the state and uptime,
// what waits inside Kannel, and each SMSC link. The document is bearerbox 1.4.5's, as Debian's
// kannel writes it; tests/app/sms_delivery_test.cpp reads a live one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "channels/kannel.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::channels {
namespace {

using testing::StatusIs;

constexpr char kStatusXml[] = R"(<?xml version="1.0"?>
<gateway>
<version>Kannel bearerbox version `1.4.5'.
</version>
<status>running, uptime 0d 1h 2m 5s</status>
	<wdp>
		<received><total>0</total><queued>0</queued></received>
		<sent><total>0</total><queued>0</queued></sent>
	</wdp>
	<sms>
		<received><total>3</total><queued>1</queued></received>
		<sent><total>120</total><queued>42</queued></sent>
		<storesize>43</storesize>
		<inbound>0.00,0.00,0.00</inbound>
		<outbound>1.50,0.70,0.20</outbound>
		</sms>
	<dlr>
		<received><total>100</total></received>
		<sent><total>99</total></sent>
		<inbound>0.00,0.00,0.00</inbound>
		<outbound>0.00,0.00,0.00</outbound>
		<queued>7</queued>
		<storage>spool</storage>
	</dlr>
<boxes>
	</boxes>
<smscs><count>2</count>
	<smsc>
		<name>FAKE:24575</name>
		<admin-id>mt</admin-id>
		<id>mt</id>
		<status>online 3725s</status>
		<failed>2</failed>
		<queued>40</queued>
		<sms>
			<received>0</received>
			<sent>118</sent>
		</sms>
		<dlr>
			<received>0</received>
			<sent>0</sent>
		</dlr>
	</smsc>
<smsc>
		<name>FAKE:27414</name>
		<admin-id>mo</admin-id>
		<id>mo</id>
		<status>re-connecting</status>
		<failed>0</failed>
		<queued>0</queued>
		<sms>
			<received>3</received>
			<sent>0</sent>
		</sms>
	</smsc>
</smscs>
</gateway>
)";

TEST(KannelStatusTest, StateUptimeQueuesAndEachLinkAreRead) {
  auto k = ParseKannelStatus(kStatusXml);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->state, "running");
  EXPECT_EQ(k->uptime_s, 3725);
  EXPECT_EQ(k->sms_sent_queued, 42) << "the sent queue, not the received one";
  EXPECT_EQ(k->store_size, 43);
  EXPECT_EQ(k->dlr_queued, 7);
  ASSERT_EQ(k->smscs.size(), 2u);
  EXPECT_EQ(k->smscs[0].id, "mt");
  EXPECT_TRUE(k->smscs[0].online());
  EXPECT_EQ(k->smscs[0].queued, 40);
  EXPECT_EQ(k->smscs[0].failed, 2);
  EXPECT_EQ(k->smscs[1].id, "mo");
  EXPECT_EQ(k->smscs[1].status, "re-connecting");
  EXPECT_FALSE(k->smscs[1].online());
}

TEST(KannelStatusTest, AnAnswerThatIsNotKannelsStatusIsAnError) {
  EXPECT_THAT(ParseKannelStatus("Denied"), StatusIs(StatusCode::kUnavailable, "sms_gateway_status"));
  EXPECT_THAT(ParseKannelStatus("<html><body>hello</body></html>"), StatusIs(StatusCode::kUnavailable, "sms_gateway_status"));
  EXPECT_THAT(FetchKannelStatus("http://127.0.0.1:9", "x", 300), StatusIs(StatusCode::kUnavailable, "sms_gateway_down"))
      << "nothing listens on the discard port";
}

}  // namespace
}  // namespace madoguchi::channels
